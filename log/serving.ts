/**
 * How the test log serves what real static-ct-api v1.1.0 logs (Sunlight, TesseraCT, Azul) serve:
 * not misbehaviour, but the variety a client must take. Flip them at any time
 * (`log.serving.gzip = false`); `npm run log` has a switch for each.
 */
export interface Serving {
  /**
   * Checkpoints as real logs serve them (checkpoint-note.ts): the RFC6962NoteSignature, a
   * cosignature/v1 by the log's own Ed25519 key under the same key name, and GREASE lines, in a
   * new random order each time. Off: the RFC6962NoteSignature line alone. Default on.
   */
  realisticCheckpoints: boolean;
  /**
   * `Content-Encoding: gzip` (tiles-api.ts): data tiles always (static-ct-api, "Log entries": logs
   * MAY use it "with no negotiation"), the checkpoint, hash tiles and issuers when the request's
   * Accept-Encoding takes gzip (RFC 9110 §12.5.3). Default on.
   */
  gzip: boolean;
  /**
   * Partial tiles stay served once the full tile exists. static-ct-api, "Partial Tiles": logs
   * "MAY omit any partial tile for which the corresponding full tile is available", which is the
   * default (off): a client must then fall back to the full tile.
   */
  keepPartialTiles: boolean;
  /**
   * add-pre-chain refuses a precertificate issued by a Precertificate Signing Certificate (RFC 6962
   * §3.1): static-ct-api v1.1.0, "Submission APIs": "the log MAY reject" them. Default off.
   */
  refusePrecertSigningCa: boolean;
}

export const defaultServing = (): Serving => ({
  realisticCheckpoints: true,
  gzip: true,
  keepPartialTiles: false,
  refusePrecertSigningCa: false,
});

/** `npm run log` switches for Serving (main.ts), for node:util parseArgs. */
export const SERVING_OPTIONS = {
  'realistic-checkpoints': { type: 'boolean' },
  'plain-checkpoints': { type: 'boolean' },
  'no-gzip': { type: 'boolean' },
  'keep-partial-tiles': { type: 'boolean' },
  'refuse-precert-signing-ca': { type: 'boolean' },
} as const;

export const SERVING_USAGE =
  ' [--realistic-checkpoints (default) | --plain-checkpoints] [--no-gzip]' +
  ' [--keep-partial-tiles] [--refuse-precert-signing-ca]';

type ServingArgs = { readonly [K in keyof typeof SERVING_OPTIONS]?: boolean };

/** The Serving the switches ask for (the defaults for the rest). Throws for contradictory ones. */
export function servingFromArgs(args: ServingArgs): Serving {
  if (args['realistic-checkpoints'] && args['plain-checkpoints']) {
    throw new Error('--realistic-checkpoints and --plain-checkpoints contradict each other');
  }
  return {
    ...defaultServing(),
    realisticCheckpoints: args['plain-checkpoints'] !== true,
    gzip: args['no-gzip'] !== true,
    keepPartialTiles: args['keep-partial-tiles'] === true,
    refusePrecertSigningCa: args['refuse-precert-signing-ca'] === true,
  };
}
