import { newUploadNames, originalNameFromUrl, parseUploadName, uploadUrl } from './upload-name';

const ID = '0123456789abcdef0123456789abcdef';

describe('upload names', () => {
  it('makes 128-bit random hex names with the extension of the stored type', () => {
    const { original, thumbnail } = newUploadNames('image/jpeg');
    expect(original).toMatch(/^[0-9a-f]{32}\.jpg$/);
    expect(thumbnail).toBe(`${original.slice(0, 32)}-thumb.webp`);
    expect(newUploadNames('image/png').original).toMatch(/\.png$/);
    expect(newUploadNames('image/gif').original).toMatch(/\.gif$/);
    expect(newUploadNames('image/webp').original).toMatch(/\.webp$/);
  });

  it('never repeats a name', () => {
    const names = new Set(Array.from({ length: 1000 }, () => newUploadNames('image/png').original));
    expect(names.size).toBe(1000);
  });

  it('parses what it makes, with the type from the extension', () => {
    expect(parseUploadName(`${ID}.jpg`)).toEqual({
      name: `${ID}.jpg`,
      mimeType: 'image/jpeg',
      isThumbnail: false,
    });
    expect(parseUploadName(`${ID}.gif`)?.mimeType).toBe('image/gif');
    expect(parseUploadName(`${ID}-thumb.webp`)).toEqual({
      name: `${ID}-thumb.webp`,
      mimeType: 'image/webp',
      isThumbnail: true,
    });
  });

  it.each([
    '',
    ID,
    `${ID}.svg`,
    `${ID}.html`,
    `${ID}.jpeg`,
    `${ID}.JPG`,
    `${ID.toUpperCase()}.jpg`,
    `${ID}0.jpg`,
    `${ID.slice(1)}.jpg`,
    `${ID}-thumb.jpg`,
    `${ID}.jpg.html`,
    `${ID}.jpg\n`,
    `../${ID}.jpg`,
    `..%2F${ID}.jpg`,
    `${ID}.jpg%00`,
    `${ID}.jpg?x=1`,
    'x'.repeat(10_000),
  ])('refuses %j', (name) => {
    expect(parseUploadName(name)).toBeNull();
  });

  it('takes back exactly the URL it issued for an original', () => {
    const name = `${ID}.png`;
    expect(uploadUrl(name)).toBe(`/api/uploads/${name}`);
    expect(originalNameFromUrl(uploadUrl(name))).toBe(name);
  });

  it.each([
    `/api/uploads/${ID}-thumb.webp`,
    `https://evil.example/api/uploads/${ID}.png`,
    `http://localhost:3000/api/uploads/${ID}.png`,
    `//evil.example/api/uploads/${ID}.png`,
    `/api/uploads/${ID}.png?x`,
    `/api/uploads/${ID}.png#x`,
    `/api/uploads/../uploads/${ID}.png`,
    `/API/uploads/${ID}.png`,
    `api/uploads/${ID}.png`,
    `/api/uploads/${ID}.svg`,
  ])('refuses the URL %j', (url) => {
    expect(originalNameFromUrl(url)).toBeNull();
  });
});
