// PGlite ships its contrib extensions as `exports` subpaths, which this project's `node`
// module resolution cannot see for types (Node resolves them at run time).
declare module '@electric-sql/pglite/contrib/btree_gin' {
  export const btree_gin: import('@electric-sql/pglite').Extension;
}
declare module '@electric-sql/pglite/contrib/unaccent' {
  export const unaccent: import('@electric-sql/pglite').Extension;
}
