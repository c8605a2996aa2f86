/** The bundled log list v83.1 and its signature (src/loglist/data), a chunk of its own in the CLI build. */
export { default as json } from '../../loglist/data/all_logs_list.v83.1.json?raw';
export { default as sig } from '../../loglist/data/all_logs_list.v83.1.sig?base64';
