/** Message levels, lowest first (Django's DEBUG=10 ... ERROR=40). */
export const MESSAGE_LEVELS = ['debug', 'info', 'success', 'warning', 'error'] as const;
export type MessageLevel = (typeof MESSAGE_LEVELS)[number];

/** What storage keeps of a message: plain JSON. */
export interface StoredMessage {
  level: MessageLevel;
  text: string;
  extraTags?: string;
}

/**
 * One flash message. Templates read `level`, `text` and `tags` (the level
 * plus extra tags, for CSS classes); `{{ message }}` prints the text.
 */
export class Message {
  readonly level: MessageLevel;
  readonly text: string;
  readonly extraTags: string;

  constructor(level: MessageLevel, text: string, extraTags = '') {
    this.level = level;
    this.text = text;
    this.extraTags = extraTags;
  }

  /** 'success' or 'success highlight'. */
  get tags(): string {
    return this.extraTags ? `${this.extraTags} ${this.level}` : this.level;
  }

  toString(): string {
    return this.text;
  }

  toJSON(): StoredMessage {
    return this.extraTags ? { level: this.level, text: this.text, extraTags: this.extraTags } : { level: this.level, text: this.text };
  }

  /** A message from stored JSON, or null when it is not one (tampered or from an older version). */
  static fromJSON(value: unknown): Message | null {
    if (typeof value !== 'object' || value === null) return null;
    const { level, text, extraTags } = value as Record<string, unknown>;
    if (typeof text !== 'string' || !(MESSAGE_LEVELS as readonly unknown[]).includes(level)) return null;
    return new Message(level as MessageLevel, text, typeof extraTags === 'string' ? extraTags : '');
  }
}
