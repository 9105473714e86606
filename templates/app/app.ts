import { defineApp } from '@atrium/core';

/**
 * The '{{ app_name }}' app. List its folder in INSTALLED_APPS; its templates/
 * and static/ folders are then found automatically.
 */
export default defineApp({ label: '{{ app_name }}', path: import.meta.dirname });
