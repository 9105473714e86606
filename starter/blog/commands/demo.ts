import type { ManagementCommand } from '@atrium/core';
import type { Instance } from '@atrium/orm';
import { createSuperuser, User } from '@atrium/auth';
import { DEMO_POSTS, DEMO_TAGS, DEMO_USER, demoPublishedAt } from '../demo-data.js';
import { Comment, Post, Tag } from '../models.js';

/**
 * `manage demo`: load the demo posts, tags and comments and create the demo
 * superuser, then print how to log in. Safe to run again: what exists (by
 * username, tag slug, post slug) is left as it is, so edits made in the admin stay.
 * @example npx manage demo
 */
export const demo: ManagementCommand = {
  name: 'demo',
  description: 'Load the starter blog demo content and create the demo superuser (idempotent)',
  async run(context) {
    const out = context.stdout;
    let user = await User.objects.filter({ username: DEMO_USER.username }).first();
    const userCreated = user === null;
    user ??= await createSuperuser(DEMO_USER);

    const tags = new Map<string, Instance<typeof Tag>>();
    for (const spec of DEMO_TAGS) {
      const [tag] = await Tag.objects.getOrCreate({ slug: spec.slug }, { name: spec.name });
      tags.set(spec.slug, tag);
    }
    let postsCreated = 0;
    for (const spec of DEMO_POSTS) {
      if (await Post.objects.filter({ slug: spec.slug }).exists()) continue;
      const publishedAt = demoPublishedAt(spec.daysAgo);
      const post = await Post.objects.create({
        title: spec.title,
        slug: spec.slug,
        body: spec.body,
        author: user,
        status: publishedAt === null ? 'draft' : 'published',
        publishedAt,
      });
      await post.tags.add(...spec.tags.map((slug) => tags.get(slug)!));
      for (const comment of spec.comments) await Comment.objects.create({ post, ...comment });
      postsCreated += 1;
    }

    out.write(`Demo content: ${postsCreated} post(s) added, ${DEMO_POSTS.length - postsCreated} already there.\n`);
    out.write(
      userCreated
        ? `Demo superuser created: username '${DEMO_USER.username}', password '${DEMO_USER.password}'.\n`
        : `Demo superuser '${DEMO_USER.username}' already exists (password '${DEMO_USER.password}' unless you changed it).\n`,
    );
    out.write('Log in at http://127.0.0.1:8000/admin/ ; the blog is at http://127.0.0.1:8000/blog/ .\n');
    return 0;
  },
};

/** The command `manage` finds in this app's commands/ folder (the file name is the command name). */
export default demo;
