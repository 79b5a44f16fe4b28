export { exportMessages, payloadText, CSV_HEADER, type ExportFormat, type ExportRequest } from './export';
export { MessageStore, MAX_BATCH, type IncomingMessage } from './message-store';
export { describeOpenError, describeStoreError, sqliteCode } from './errors';
export { isFilter, selectTopicIds } from './selection';
