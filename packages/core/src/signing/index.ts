export { Signer, TimestampSigner, type SignerOptions, type UnsignOptions } from './signer.js';
