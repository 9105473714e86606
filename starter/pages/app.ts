import { defineApp } from '@atrium/core';

/** The pages app: its templates/ and static/ folders are found through this config. */
export default defineApp({ label: 'pages', verboseName: 'Pages', path: import.meta.dirname });
