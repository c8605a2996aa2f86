/**
 * tlog-witness, "Monitor Retrieval Mechanism": `GET <monitoring prefix>/<origin hash>/checkpoint`,
 * the origin hash being the lowercase hex SHA-256 of the log's origin. The witness answers with the
 * latest checkpoint it cosigned for the log (its cosignatures and the log's signatures it
 * verified), or 404 when it never cosigned one. Through LogHttp: HTTPS only (plain HTTP only on
 * loopback), timeouts, bounded retries, a size limit. The request tells the witness which log is
 * checked (the origin), nothing about the certificate.
 */
import { sha256, toHex, utf8, type Bytes } from '../bytes.js';
import type { LogHttp } from '../logclient/http.js';

/** The retrieval URL. Precondition: `prefix` is an absolute http(s) URL (a policy witness URL). */
export function witnessCheckpointUrl(prefix: string, origin: string): string {
  return `${prefix.replace(/\/+$/, '')}/${toHex(sha256(utf8(origin)))}/checkpoint`;
}

/**
 * The witness's latest cosigned checkpoint for `origin`, as bytes. Throws LogHttpError ('not-found':
 * it never cosigned one).
 */
export function fetchWitnessCheckpoint(http: LogHttp, prefix: string, origin: string): Promise<Bytes> {
  return http.getBytes(witnessCheckpointUrl(prefix, origin));
}
