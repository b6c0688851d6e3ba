import type { MessageView } from '@chat/shared-dto';
import { directPair as pair, expect, test } from './fixtures';
import { tid } from './helpers';

/** A one-page PDF: what the server recognises from its first bytes. */
const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n' +
    '2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
);

const lastOwn = (page: import('@playwright/test').Page, testId: string) =>
  page.locator(`[data-testid="message"][data-own="true"]:has([data-testid="${testId}"])`).last();

async function acknowledged(page: import('@playwright/test').Page, testId: string) {
  await expect
    .poll(() => lastOwn(page, testId).getAttribute('data-status'), {
      message: `the ${testId} message is acknowledged`,
      timeout: 20_000,
    })
    .toMatch(/^(sent|delivered|read)$/);
}

/** The stored messages of a conversation, as one of its members sees them. */
async function history(baseURL: string, token: string, conversationId: string) {
  const response = await fetch(`${baseURL}/api/conversations/${conversationId}/messages`, {
    headers: { Authorization: `Bearer ${token}` },
  });
  expect(response.status).toBe(200);
  return (await response.json()) as MessageView[];
}

test('sends a PDF and a voice note, plays and downloads them; an outsider gets neither', async ({
  api,
  cast,
  openAs,
  baseURL,
}) => {
  const { a, b, ana, partner } = await pair({ api, cast, openAs });

  await tid(a, 'file-input').setInputFiles({
    name: 'Q3 report.pdf',
    mimeType: 'application/pdf',
    buffer: PDF,
  });
  await expect(tid(a, 'staged-file')).toContainText('Q3 report.pdf');
  await tid(a, 'send-button').click();
  await acknowledged(a, 'message-file');
  const card = b.locator('[data-testid="message-file"]').last();
  await expect(card).toContainText('Q3 report.pdf');
  await expect(card).toContainText('PDF');

  const [download] = await Promise.all([b.waitForEvent('download'), card.click()]);
  expect(download.suggestedFilename()).toBe('Q3 report.pdf');
  const downloaded = await download.createReadStream();
  const chunks: Buffer[] = [];
  for await (const chunk of downloaded) chunks.push(chunk as Buffer);
  expect(Buffer.concat(chunks).equals(PDF), 'the download is the PDF as sent').toBe(true);

  // A voice note from Chromium's fake microphone.
  await tid(a, 'voice-record').click();
  await expect(tid(a, 'voice-recording')).toBeVisible();
  await expect(tid(a, 'voice-timer')).toHaveText(/0:0[2-9]/, { timeout: 10_000 });
  await tid(a, 'voice-send').click();
  await expect(tid(a, 'voice-recording')).toBeHidden();
  await acknowledged(a, 'message-voice');

  const voice = b.locator('[data-testid="message-voice"]').last();
  await expect(voice).toBeVisible();
  await expect(voice.getByTestId('voice-time')).toHaveText(/0:0[2-9]/);
  await expect(
    voice.locator('[data-testid="voice-waveform"] rect, [data-testid="voice-waveform"] span'),
  ).not.toHaveCount(0);
  await voice.getByTestId('voice-play').click();
  await expect(voice.getByTestId('voice-play')).toHaveAttribute('aria-label', /Pause/);
  await expect
    .poll(() => voice.locator('audio').evaluate((audio: HTMLAudioElement) => audio.currentTime), {
      message: 'the voice note plays from the server',
    })
    .toBeGreaterThan(0.3);
  await voice.getByTestId('voice-speed').click();
  await expect(voice.getByTestId('voice-speed')).toHaveText(/1\.5/);

  const conversationId = new URL(a.url()).pathname.split('/').pop() ?? '';
  const stored = await history(baseURL ?? '', partner.token, conversationId);
  const pdf = stored.find((m) => m.type === 'file');
  const note = stored.find((m) => m.type === 'voice');
  expect(pdf?.attachment).toMatchObject({ name: 'Q3 report.pdf', mimeType: 'application/pdf' });
  expect(note?.attachment?.durationMs).toBeGreaterThan(1500);
  expect(note?.attachment?.waveform).toHaveLength(64);

  const outsider = await api.register('out');
  for (const url of [pdf?.attachment?.url, note?.attachment?.url]) {
    const answer = await fetch(`${baseURL}${url}`, {
      headers: { Authorization: `Bearer ${outsider.token}` },
    });
    expect(answer.status, `${url} for an outsider`).toBe(404);
    const member = await fetch(`${baseURL}${url}`, {
      headers: { Authorization: `Bearer ${ana.token}` },
    });
    expect(member.status, `${url} for a member`).toBe(200);
  }
});

test('sends several files dropped at once, and retries a failed upload', async ({
  api,
  cast,
  openAs,
}) => {
  const { a, b } = await pair({ api, cast, openAs });

  // The first upload fails as a dropped connection would.
  let failures = 1;
  // The context, not the page: the service worker forwards the app's requests.
  await a.context().route('**/api/upload', async (route) => {
    if (failures-- > 0) await route.abort('connectionreset');
    else await route.continue();
  });

  const drop = await a.evaluateHandle(() => {
    const transfer = new DataTransfer();
    transfer.items.add(
      new File(['minutes of the meeting\n'], 'minutes.txt', { type: 'text/plain' }),
    );
    transfer.items.add(new File(['a,b\n1,2\n3,4\n'], 'figures.csv', { type: 'text/csv' }));
    return transfer;
  });
  const pane = a.locator('chat-conversation');
  await pane.dispatchEvent('dragenter', { dataTransfer: drop });
  await pane.dispatchEvent('drop', { dataTransfer: drop });
  await expect(tid(a, 'staged-file')).toHaveCount(2);
  await tid(a, 'send-button').click();

  const failed = a.locator('[data-testid="message"][data-status="failed"]');
  await expect(failed).toHaveCount(1, { timeout: 15_000 });
  await failed.getByTestId('message-retry').click();

  await expect(b.locator('[data-testid="message-file"]')).toHaveCount(2, { timeout: 20_000 });
  await expect(b.locator('[data-testid="message-file-name"]')).toContainText([
    /minutes\.txt|figures\.csv/,
    /minutes\.txt|figures\.csv/,
  ]);
  await expect(a.locator('[data-testid="message"][data-status="failed"]')).toHaveCount(0);
});
