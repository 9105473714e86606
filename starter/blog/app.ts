import { defineApp } from '@atrium/core';
import { demo } from './demo-command.js';

/** The blog app: posts, tags and comments, with its templates/, static/, migrations/ and the `demo` command. */
export default defineApp({ label: 'blog', verboseName: 'Blog', path: import.meta.dirname, commands: [demo] });
