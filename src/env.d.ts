/** `import x from './file?base64'`: the file's bytes as base64 (see build/base64-import.ts). */
declare module '*?base64' {
  const base64: string;
  export default base64;
}
