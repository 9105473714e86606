import { defineApp } from '@atrium/core';

/** The notes app: its models, migrations, templates/ and static/ are found through this config. */
export default defineApp({ label: 'notes', verboseName: 'Notes', path: import.meta.dirname });
