import { path } from '@atrium/core';
import { index } from './views.js';

/**
 * The app's routes. The project includes them with a prefix and a namespace:
 *
 *   // the project's urls.ts
 *   import {{ appName }}Routes from './{{ app_name }}/urls.js';
 *   export default [include('{{ app_name }}/', {{ appName }}Routes, { namespace: '{{ app_name }}' })];
 *
 * Names here are then reversed with the namespace: reverse('{{ app_name }}:index')
 * in code, url('{{ app_name }}:index') in templates.
 */
export default [path('', index, { name: 'index', methods: ['GET'] })];
