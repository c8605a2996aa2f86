/** Reading the embedded SCT list extension (RFC 6962 §3.3) from a certificate. */
import type { Bytes } from '../bytes.js';
import { DerError, TAG, expectElement, content } from '../der/element.js';
import { splitSctList, SctListError } from '../sct/decode.js';
import { OID, findExtension, type CertificateView } from './certificate.js';

export type EmbeddedSctList =
  | { readonly status: 'absent' }
  | { readonly status: 'ok'; readonly scts: readonly Bytes[] }
  | { readonly status: 'malformed'; readonly error: string };

/**
 * The SCTs of extension 1.3.6.1.4.1.11129.2.4.2, whose extnValue holds an OCTET STRING whose
 * content is the TLS-encoded SignedCertificateTimestampList. A list that cannot be parsed is
 * malformed as a whole (as Chrome treats it).
 */
export function embeddedSctList(cert: CertificateView): EmbeddedSctList {
  const ext = findExtension(cert, OID.SCT_LIST);
  if (!ext) return { status: 'absent' };
  try {
    const inner = expectElement(ext.value, 0, ext.value.length, TAG.OCTET_STRING, 'SCT list extension');
    if (inner.end !== ext.value.length) {
      throw new SctListError(`SCT list extension has ${ext.value.length - inner.end} trailing bytes`);
    }
    return { status: 'ok', scts: splitSctList(content(ext.value, inner)) };
  } catch (e) {
    if (e instanceof DerError || e instanceof SctListError) return { status: 'malformed', error: e.message };
    throw e;
  }
}
