// mp4box publishes its CommonJS types under package "exports" only, which the API's "node"
// module resolution does not read; point the bare import at them.
declare module 'mp4box' {
  export * from 'mp4box/dist/mp4box.all.cjs';
}
