import { path, type RouteEntry } from '@atrium/core';
import { loginView } from './login-view.js';
import { logoutView } from './logout-view.js';
import { passwordChangeDoneView, passwordChangeView } from './password-change-views.js';
import { passwordResetCompleteView, passwordResetConfirmView, passwordResetDoneView, passwordResetView } from './password-reset-views.js';
import { twoFactorDisableView, twoFactorSetupView, twoFactorVerifyView } from './two-factor-views.js';

/**
 * The account pages: login, logout (POST), password change, password reset
 * by e-mail and two-factor enrolment/verification. Include them under a
 * prefix and namespace; the defaults of LOGIN_URL and the TWO_FACTOR_* URLs
 * assume 'accounts/'.
 * @example
 * // urls.ts
 * export default [include('accounts/', authRoutes, { namespace: 'auth' })];
 */
export const authRoutes: readonly RouteEntry[] = [
  path('login/', loginView, { name: 'login', methods: ['GET', 'POST'] }),
  path('logout/', logoutView, { name: 'logout', methods: ['POST'] }),
  path('password-change/', passwordChangeView, { name: 'password_change', methods: ['GET', 'POST'] }),
  path('password-change/done/', passwordChangeDoneView, { name: 'password_change_done', methods: ['GET'] }),
  path('password-reset/', passwordResetView, { name: 'password_reset', methods: ['GET', 'POST'] }),
  path('password-reset/done/', passwordResetDoneView, { name: 'password_reset_done', methods: ['GET'] }),
  path('reset/done/', passwordResetCompleteView, { name: 'password_reset_complete', methods: ['GET'] }),
  path('reset/<str:uidb64>/<str:token>/', passwordResetConfirmView, { name: 'password_reset_confirm', methods: ['GET', 'POST'] }),
  path('two-factor/setup/', twoFactorSetupView, { name: 'two_factor_setup', methods: ['GET', 'POST'] }),
  path('two-factor/verify/', twoFactorVerifyView, { name: 'two_factor_verify', methods: ['GET', 'POST'] }),
  path('two-factor/disable/', twoFactorDisableView, { name: 'two_factor_disable', methods: ['GET', 'POST'] }),
];
