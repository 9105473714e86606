export type FrameCategory = 'atrium' | 'app' | 'dependency' | 'node' | 'gc' | 'native';

export interface FlameNode {
  name: string;
  location: string;
  category: FrameCategory;
  self: number;
  total: number;
  children: Map<string, FlameNode>;
}

/** The subset of a V8 .cpuprofile this module reads. */
export interface CpuProfile {
  nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }>;
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

export function frameCategory(url: string, functionName: string): FrameCategory;
export function shortLocation(url: string, lineNumber: number): string;
export function foldCpuProfile(profile: CpuProfile, window?: { fromUs?: number; toUs?: number }): { root: FlameNode; busy: number; idle: number };
export function selfTimes(root: FlameNode): Array<{ name: string; location: string; category: FrameCategory; self: number }>;
export function categoryShares(root: FlameNode): Record<FrameCategory, number>;
export function renderFlamegraph(root: FlameNode, options?: { title?: string; subtitle?: string; width?: number; minWidth?: number }): string;
