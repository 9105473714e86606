import { afterAll } from 'vitest';
import { createTestProject, type ProjectOptions, type TestProject } from './project.js';
import { killAllServers } from './server-process.js';

/**
 * createTestProject for one test file: after the file's tests, every server
 * still running is killed and every project made through it is deleted (its
 * PostgreSQL database dropped), whether the tests passed or not. Call it at
 * the top level of the file.
 * @example const newProject = testProjects(); ... const project = await newProject({ database: 'sqlite' });
 */
export function testProjects(): (options: ProjectOptions) => Promise<TestProject> {
  const projects: TestProject[] = [];
  afterAll(async () => {
    killAllServers();
    for (const project of projects) await project.cleanup();
  }, 60_000);
  return async (options) => {
    const project = await createTestProject(options);
    projects.push(project);
    return project;
  };
}
