/**
 * An embedded sample for `ctlens sample` (and `npm start` without a display): the real
 * mail.google.com certificate of 2020 and its issuer, GTS CA 1O1, with two embedded SCTs from
 * Google Argon2020 and Cloudflare Nimbus2020 (test/fixtures/real/PROVENANCE.md).
 */
import chain from './sample/mail.google.com-chain.pem?raw';

export const samplePem: string = chain;
