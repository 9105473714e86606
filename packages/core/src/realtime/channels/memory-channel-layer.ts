import { BaseChannelLayer, logToStderr, serializeMessage, type GroupMember } from './channel-layer.js';

/**
 * The channel layer of one process: groups live in memory, so a message
 * reaches only sockets of this process. For development and tests; with
 * several workers or machines use the redis backend.
 * @example const layer = new MemoryChannelLayer(); await layer.groupAdd('news', (m) => console.log(m));
 */
export class MemoryChannelLayer extends BaseChannelLayer {
  constructor(options: { log?: (line: string) => void } = {}) {
    super(options.log ?? logToStderr);
  }

  async groupAdd(group: string, member: GroupMember): Promise<void> {
    this.checkUsable(group);
    this.groups.add(group, member, () => undefined);
  }

  async groupDiscard(group: string, member: GroupMember): Promise<void> {
    this.groups.remove(group, member);
  }

  async groupSend(group: string, message: unknown): Promise<boolean> {
    this.checkUsable(group);
    this.groups.deliver(group, serializeMessage(group, message));
    return true;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.groups.clear();
  }
}
