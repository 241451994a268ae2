/** The secret every test process shares (it derives the app role's password and the JWT key). */
export const TEST_SECRET = 'test-secret-for-hom-tests-only-0123456789abcdef';
export const ADMIN = { username: 'admin', password: 'admin-password-1234' } as const;
