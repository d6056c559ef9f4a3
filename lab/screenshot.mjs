// Takes the picture of the Kafka Lab in docs/12-watching-it-run.md, from a real run: open the lab
// (`npm run lab`), start what it should show (a demo, the app), then
//
//   node lab/screenshot.mjs [filter] [seconds]     (LAB_URL, CHROMIUM_PATH; writes docs/images/kafka-lab.png)
//
// It opens the lab in Debian's Chromium, types `filter` in the page's filter box, tails the first topic
// that matches it, and after `seconds` (default 20) of live updates saves a PNG of the page.
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { chromium } from 'playwright-core';

const [filter = '', seconds = '20'] = process.argv.slice(2);
const labUrl = process.env.LAB_URL || 'http://127.0.0.1:3100';
const output = join(import.meta.dirname, '../docs/images/kafka-lab.png');

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium' });
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1050 } });
  await page.goto(labUrl);
  await page.locator('#filter').fill(filter);
  const deadline = Date.now() + Number(seconds) * 1000;
  let tailed = false;
  while (Date.now() < deadline) {
    const match =
      filter && (await page.locator('#tail-topic option').allTextContents()).find((t) => t.includes(filter));
    if (match && !tailed) {
      await page.locator('#tail-topic').selectOption(match);
      tailed = true;
    }
    await sleep(500);
  }
  await page.screenshot({ path: output });
  console.log(`saved ${output}`);
} finally {
  await browser.close();
}
