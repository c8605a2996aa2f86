/** The bundled log list v89.25 and its signature (src/loglist/data), a chunk of its own in the CLI build. */
export { default as json } from '../../loglist/data/all_logs_list.v89.25.json?raw';
export { default as sig } from '../../loglist/data/all_logs_list.v89.25.sig?base64';
