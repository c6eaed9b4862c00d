// The printed certificate card's QR code leads a member of the public to the
// certificate's check (亮证执法). With the demo data: the legal office opens
// the card of a demo certificate, the test reads the QR code off the page as a
// phone would (the image's pixels, decoded by jsQR), and a browser without a
// session opens what it says: the portal's check of that number, showing the
// holder and 有效. A suspended demo certificate's code leads to 暂扣.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import jsQR from 'jsqr';
import { apiAs } from './console-helpers.mjs';
import { loginAs, startEnvironment, withPage } from './helpers.mjs';

/** The text of the QR code the card shows, read from the rendered image. */
async function scanCard(page) {
  const qr = page.getByTestId('card-qr');
  await qr.waitFor();
  await page.waitForFunction(() => document.querySelector('[data-testid="card-qr"]')?.naturalWidth > 0);
  const { width, height, data } = await qr.evaluate((img) => {
    // Drawn at twice its natural size on white, as a camera sees it printed.
    const canvas = document.createElement('canvas');
    canvas.width = img.naturalWidth * 2;
    canvas.height = img.naturalHeight * 2;
    const ctx = canvas.getContext('2d');
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
    const pixels = ctx.getImageData(0, 0, canvas.width, canvas.height);
    return { width: pixels.width, height: pixels.height, data: Array.from(pixels.data) };
  });
  const code = jsQR(Uint8ClampedArray.from(data), width, height);
  assert.ok(code, 'the card carries a readable QR code');
  return code.data;
}

describe('the certificate card\'s QR code', () => {
  let env;
  let api;

  before(async () => {
    env = await startEnvironment({ seed: true });
    api = await apiAs(env, 'legal_office');
  });
  after(async () => {
    await api?.dispose();
    await env?.stop();
  });

  for (const status of ['valid', 'suspended']) {
    test(`a ${status} demo certificate: the code opens its public check`, async (t) => {
      const list = await api.get(`/api/v1/certificates?status=${status}&page_size=5`);
      const cert = list.items.find((c) => c.number);
      assert.ok(cert, `a ${status} certificate in the demo`);
      await withPage(t, env, async (page) => {
        await loginAs(page, env, 'legal_office');
        await page.goto(`${env.server.url}/console/certificates/${cert.id}/card`);
        const target = await scanCard(page);
        assert.equal(target, `${env.server.url}/certificates/${encodeURIComponent(cert.number)}`);

        const stranger = await env.browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
        try {
          const phone = await stranger.newPage();
          await phone.goto(target);
          const body = phone.locator('main');
          await body.getByText(cert.officer_name).first().waitFor();
          await body.getByText(status === 'valid' ? '有效' : '暂扣').first().waitFor();
          assert.ok((await body.innerText()).includes(cert.number));
        } finally {
          await stranger.close();
        }
      });
    });
  }
});
