import { crc32 } from 'node:zlib';

export interface ZipEntry {
  name: string;
  data: Buffer | string;
  /** What the directory claims the entry inflates to (a lie for a bomb); default: its size. */
  declaredSize?: number;
  /** 0 stored (default), 8 deflated (the data is then never inflated by the code under test). */
  method?: 0 | 8;
}

/** A minimal zip built by hand: local headers, central directory, end record; no zip64. */
export function buildZip(entries: ZipEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const data = Buffer.isBuffer(entry.data) ? entry.data : Buffer.from(entry.data);
    const name = Buffer.from(entry.name);
    const method = entry.method ?? 0;
    const size = entry.declaredSize ?? data.length;
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(method, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, data);
    centrals.push(central, name);
    offset += local.length + name.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

const CONTENT_TYPES = '<?xml version="1.0"?><Types/>';

/** The smallest zips each accepted zip-based format is recognised by. */
export const OFFICE_ZIPS = {
  docx: () =>
    buildZip([
      { name: '[Content_Types].xml', data: CONTENT_TYPES },
      { name: 'word/document.xml', data: '<w:document/>' },
    ]),
  xlsx: () =>
    buildZip([
      { name: '[Content_Types].xml', data: CONTENT_TYPES },
      { name: 'xl/workbook.xml', data: '<workbook/>' },
    ]),
  pptx: () =>
    buildZip([
      { name: '[Content_Types].xml', data: CONTENT_TYPES },
      { name: 'ppt/presentation.xml', data: '<p:presentation/>' },
    ]),
  odt: () => odf('text'),
  ods: () => odf('spreadsheet'),
  odp: () => odf('presentation'),
};

function odf(kind: string): Buffer {
  return buildZip([
    { name: 'mimetype', data: `application/vnd.oasis.opendocument.${kind}` },
    { name: 'content.xml', data: '<office:document-content/>' },
  ]);
}

/** 2 KB declaring 3 x ~4 GB of deflated entries: must be refused without inflating. */
export function zipBomb(): Buffer {
  return buildZip(
    [1, 2, 3].map((i) => ({
      name: `bomb${i}.txt`,
      data: Buffer.alloc(600, 0x03),
      declaredSize: 0xfffffff0,
      method: 8 as const,
    })),
  );
}

/** A minimal PDF header with an HTML page behind it (a PDF + HTML polyglot). */
export const PDF_HTML_POLYGLOT = Buffer.from(
  '%PDF-1.4\n%\xe2\xe3\xcf\xd3\n<html><body><script>alert(document.cookie)</script></body></html>\n' +
    '1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n',
  'latin1',
);
