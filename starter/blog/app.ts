import { defineApp } from '@atrium/core';

/** The blog app: posts, tags and comments, with its templates/, static/, migrations/ and the `demo` command (commands/demo.ts). */
export default defineApp({ label: 'blog', verboseName: 'Blog', path: import.meta.dirname });
