export { TestClient, type RequestOptions, type UploadSpec } from './test-client.js';
export { TestResponse } from './test-response.js';
export { CookieJar } from './cookie-jar.js';
