// class-transformer ships the types of its metadata storage apart from the CommonJS module
// that holds it; point the runtime path at them.
declare module 'class-transformer/cjs/storage' {
  export { defaultMetadataStorage } from 'class-transformer/types/storage';
}
