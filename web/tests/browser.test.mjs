// Browser tests: Playwright (playwright-core) drives Debian's chromium,
// headless, against a real `xianjiao serve --web web/dist` on a free
// loopback port with a freshly generated demo campaign.
//
//   XJ_BIN       the xianjiao binary (default build/xianjiao)
//   XJ_CHROMIUM  the browser (default /usr/bin/chromium)
//   XJ_ARTIFACTS where screenshots go (default build/web-test)
//   XJ_SCREENSHOTS_DOCS=1  also copy them to docs/screenshots/
//
// Every wait is for an element or a response, never a fixed sleep.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { spawn, execFileSync } from 'node:child_process'
import { mkdtempSync, mkdirSync, rmSync, copyFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve, dirname } from 'node:path'
import { createServer } from 'node:net'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
const bin = resolve(root, process.env.XJ_BIN ?? 'build/xianjiao')
const browserPath = process.env.XJ_CHROMIUM ?? '/usr/bin/chromium'
const artifacts = resolve(root, process.env.XJ_ARTIFACTS ?? 'build/web-test')
const docsShots = process.env.XJ_SCREENSHOTS_DOCS === '1' ? join(root, 'docs/screenshots') : null
const PASSWORD = 'xianjiao2005'
const TIMEOUT = 30000

let tmp, server, serverLog = '', base, browser

function freePort() {
  return new Promise((ok, fail) => {
    const s = createServer()
    s.once('error', fail)
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address()
      s.close(() => ok(port))
    })
  })
}

async function waitHealthy(url, proc) {
  const deadline = Date.now() + TIMEOUT
  for (;;) {
    if (proc.exitCode !== null) throw new Error('xianjiao serve exited: ' + serverLog)
    try {
      const r = await fetch(url + '/api/v1/health')
      if (r.ok) return
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) throw new Error('xianjiao serve did not answer: ' + serverLog)
    await new Promise((r) => setTimeout(r, 50))
  }
}

function stopServer() {
  if (server && server.exitCode === null) server.kill('SIGTERM')
}
process.on('exit', stopServer)

before(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'xj-web-'))
  mkdirSync(artifacts, { recursive: true })
  if (docsShots) mkdirSync(docsShots, { recursive: true })
  execFileSync(bin, ['demo', '--db', join(tmp, 'demo.db')], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] })
  // U001 ready for the supervision group: 回头看, 自查, and the office
  // letting it apply over its failing conditions (as the CLI documents)
  const cli = (...a) => execFileSync(bin, [...a, '--db', join(tmp, 'demo.db')], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] })
  for (const item of ['awareness', 'three_represents', 'requirements_clear', 'fix_as_you_learn'])
    cli('transition', 'lookback', 'U001', '--item', item, '--answer', '已逐项对照检查')
  cli('transition', 'selfcheck', 'U001', '--report', '本单位学习动员阶段自查报告')
  cli('transition', 'override', 'U001', '--reason', '先教办准予申请')
  const port = await freePort()
  base = `http://127.0.0.1:${port}`
  server = spawn(bin, ['serve', '--db', join(tmp, 'demo.db'), '--listen', `127.0.0.1:${port}`, '--web', join(root, 'web/dist')], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe']
  })
  server.stdout.on('data', (d) => (serverLog += d))
  server.stderr.on('data', (d) => (serverLog += d))
  await waitHealthy(base, server)
  browser = await chromium.launch({ executablePath: browserPath, headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'] })
})

after(async () => {
  await browser?.close()
  stopServer()
  if (server && server.exitCode === null) await new Promise((r) => server.once('exit', r))
  if (tmp) rmSync(tmp, { recursive: true, force: true })
})

async function shot(page, name) {
  const file = join(artifacts, name + '.png')
  await page.screenshot({ path: file, fullPage: true, animations: 'disabled' })
  if (docsShots) copyFileSync(file, join(docsShots, name + '.png'))
}

async function newPage(viewport = { width: 1280, height: 900 }) {
  const ctx = await browser.newContext({ viewport, locale: 'zh-CN' })
  const page = await ctx.newPage()
  page.setDefaultTimeout(TIMEOUT)
  return page
}

async function login(page, user, password = PASSWORD) {
  await page.goto(base + '/login')
  await field(page, 'login').fill(user)
  await field(page, 'password').fill(password)
  await page.locator('[data-test=submit]').click()
}

// Element Plus puts a component's attributes on its <input> (el-input) or
// on its wrapper (others): find the input either way.
function field(page, name) {
  const n = `[data-test=${name}]`
  return page.locator(`input${n}, textarea${n}, ${n} input, ${n} textarea`).first()
}

async function text(page, selector) {
  const l = page.locator(selector).first()
  await l.waitFor()
  return (await l.textContent()).trim()
}

test('wrong password: the message stands next to the password field', async () => {
  const page = await newPage()
  await login(page, 'admin', 'not-the-password')
  assert.match(await text(page, '[data-test=error-password]'), /用户名或密码错误/)
  await shot(page, 'login')
  await page.context().close()
})

test('admin: dashboard with 107 units, chart, unit page, expired session', async () => {
  const page = await newPage()
  await login(page, 'admin')
  await page.waitForURL(/\/dashboard/)
  assert.match(await text(page, '[data-test=summary]'), /共 107 个单位/)
  const rows = page.locator('[data-test=units] .el-table__body tbody tr')
  await rows.nth(106).waitFor()
  assert.equal(await rows.count(), 107)
  await page.locator('[data-test=chart] canvas').waitFor()
  const systems = page.locator('[data-test=systems] .el-table__body tbody tr')
  await systems.first().waitFor()
  assert.ok((await systems.count()) > 1)
  await shot(page, 'dashboard')

  // as_of: the unit table is evaluated as of that day
  await field(page, 'as-of').fill('2005-02-10')
  await field(page, 'as-of').press('Enter')
  await page.locator('[data-test=summary]', { hasText: '评估日期：2005-02-10' }).waitFor()

  // the first (furthest behind) unit opens its explain page
  const first = (await rows.first().locator('.unit-link').textContent()).trim()
  await rows.first().click()
  await page.waitForURL(/\/units\/\d+/)
  assert.match(await text(page, '[data-test=unit-name]'), new RegExp(first))
  await page.locator('[data-test=req-learn_hours]').waitFor()
  assert.match(await text(page, '[data-test=req-learn_hours]'), /✗/)
  await shot(page, 'unit')

  // the session ends on the server: the next request lands on 登录
  await page.context().clearCookies()
  await page.goBack()
  await page.waitForURL(/\/login/)
  await page.locator('[data-test=expired]').waitFor()
  await page.context().close()
})

test('shuji: records attendance, the member page changes; a refusal is shown next to its field', async () => {
  const page = await newPage()
  await login(page, 'shuji')
  await page.waitForURL(/\/study/)
  const tick = page.locator('[data-test=tick-1]')
  await tick.waitFor()
  const name = (await tick.textContent()).trim()

  // the member's hours before
  await page.goto(base + '/members/1')
  const hours = '[data-test=req-learn_hours] [data-test=value]'
  const beforeHours = Number(await text(page, hours))
  assert.ok(Number.isFinite(beforeHours))

  await page.goto(base + '/study')
  await tick.waitFor()
  // a refusal from the API (negative hours) lands next to 学时
  await field(page, 'happened_on').fill('2005-02-25')
  await field(page, 'happened_on').press('Enter')
  await field(page, 'hours').fill('-1')
  await field(page, 'hours').press('Tab')
  await tick.click()
  await page.locator('[data-test=save]').click()
  assert.match(await text(page, '[data-test=error-hours]'), /hours/)

  await field(page, 'hours').fill('8')
  await field(page, 'hours').press('Tab')
  await page.locator('[data-test=save]').click()
  assert.match(await text(page, '[data-test=saved]'), new RegExp('已录入 1 人：' + name))
  assert.equal(await page.locator('[data-test=error-hours]').count(), 0)
  await shot(page, 'study')

  await page.goto(base + '/members/1')
  assert.equal(Number(await text(page, hours)), beforeHours + 8)
  // the member's records, newest first, the new attendance on top; the
  // secretary may correct or withdraw them
  const recRows = page.locator('[data-test=member-record-list] .el-table__body tbody tr')
  await recRows.first().waitFor()
  assert.match(await recRows.first().textContent(), /2005-02-25.*8/)
  await recRows.first().locator('[data-test^=correct-]').waitFor()
  await shot(page, 'member')

  // another branch's member, opened by URL: not found
  await page.goto(base + '/members/3089')
  assert.match(await text(page, '[data-test=error]'), /未找到该党员/)
  await shot(page, 'member-not-found')
  await page.context().close()
})

test('dangyuan: 我的 on a phone-width screen', async () => {
  const page = await newPage({ width: 390, height: 844 })
  await login(page, 'dangyuan')
  await page.waitForURL(/\/me/)
  assert.match(await text(page, '[data-test=member-name]'), /^我的 · /)
  await page.locator('[data-test=req-learn_hours] [data-test=state]').waitFor()
  assert.ok((await page.locator('[data-test^=req-]').count()) >= 1)
  // by when: the stage's deadline, and the due day under each requirement not yet met
  assert.match(await text(page, '[data-test=stage-deadline]'), /本阶段截止 2005-03-10/)
  const unmet = await page.locator('[data-test^=req-]', { has: page.locator('[data-test=state]', { hasText: '未达标' }) }).count()
  assert.equal(await page.locator('[data-test=due]').count(), unmet)
  if (unmet > 0) assert.match(await text(page, '[data-test=due]'), /须在 2005-03-10 前完成/)
  // the member's own records as cards, read-only
  const cards = page.locator('[data-test=member-record-list] [data-test=record-card]')
  await cards.first().waitFor()
  assert.ok((await cards.count()) >= 1)
  assert.match(await cards.first().textContent(), /\d{4}-\d{2}-\d{2}/)
  assert.match(await text(page, '[data-test=member-record-list] [data-test=record-fields]'), /：/)
  assert.equal(await page.locator('[data-test=member-record-list] [data-test^=correct-], [data-test=member-record-list] [data-test^=void-]').count(), 0)
  assert.equal(await page.locator('[data-test=member-record-list] .el-table').count(), 0)
  // the plan's 佩戴党徽 ladder and where the member stands on it
  assert.match(await text(page, '[data-test=esc-badge_check] [data-test=esc-step]'), /当前：/)
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
  assert.ok(overflow <= 0, 'the page is wider than the phone: ' + overflow + 'px')
  await shot(page, 'me-phone')
  await page.context().close()
})

test('转段: the supervision group signs (a return without a reason is refused in the dialog), the office approves', async () => {
  const page = await newPage()
  await login(page, 'dudao')
  await page.waitForURL(/\/dashboard/)
  await page.goto(base + '/transitions')
  await page.locator('[data-test=return-U001]').click()
  await page.locator('[data-test=confirm]').click()
  assert.match(await text(page, '[data-test=error-reason]'), /reason/)
  await shot(page, 'transition-dialog')
  await page.locator('.el-dialog__headerbtn').click()
  await page.locator('[data-test=error-reason]').waitFor({ state: 'hidden' })

  await page.locator('[data-test=sign-U001]').click()
  await field(page, 'reason').fill('验收合格')
  await page.locator('[data-test=confirm]').click()
  assert.match(await text(page, '[data-test=done]'), /市委机关党委：已验收签字/)
  await page.locator('[data-test=sign-U001]').waitFor({ state: 'detached' })
  await page.context().close()

  const office = await newPage()
  await login(office, 'admin')
  await office.waitForURL(/\/dashboard/)
  await office.goto(base + '/transitions')
  await office.locator('[data-test=approve-U001]').click()
  await field(office, 'reason').fill('同意转入分析评议阶段')
  await office.locator('[data-test=confirm]').click()
  assert.match(await text(office, '[data-test=done]'), /市委机关党委：已批准转段/)
  await office.locator('[data-test=approve-U001]').waitFor({ state: 'detached' })
  await shot(office, 'transitions')
  await office.context().close()
})

test('组织与党员: the tree, search, a category, a roster import previewed then stored, a secretary held to the branch', async () => {
  const page = await newPage()
  await login(page, 'admin')
  await page.waitForURL(/\/dashboard/)
  await page.locator('header nav a', { hasText: '组织与党员' }).click()
  // the top of the office's scope is chosen at once
  await page.waitForURL(/\/orgs\?org=\d+/)
  assert.match(await text(page, '[data-test=org-name]'), /中共示范市委员会/)
  assert.ok(Number(await text(page, '[data-test=stat-total]')) > 1000)

  // expand the tree one level at a time and open a unit, then its branch
  const node = (code) => page.locator('.el-tree-node__content', { has: page.locator(`[data-test="org-${code}"]`) })
  await node('CITY').locator('.el-tree-node__expand-icon').click()
  await node('U003').click()
  await page.locator('[data-test=org-name]', { hasText: '市政府机关党委' }).waitFor()
  // the id of another branch (U001-B02), for the secretary below
  const b02 = await page.evaluate(async () => {
    const get = async (q) => (await (await fetch('/api/v1/orgs' + q)).json()).orgs
    const top = await get('')
    const u001 = (await get('?parent=' + top[0].id)).find((o) => o.code === 'U001')
    return (await get('?parent=' + u001.id)).find((o) => o.code === 'U001-B02').id
  })
  const unitTotal = Number(await text(page, '[data-test=stat-total]'))
  assert.ok(unitTotal > 20)
  await node('U003').locator('.el-tree-node__expand-icon').click()
  await node('U003-B01').waitFor()
  // a branch is a leaf: nothing to expand
  assert.match(await node('U003-B01').locator('.el-tree-node__expand-icon').getAttribute('class'), /is-leaf/)

  // pages of 20: the second page goes on where the first stopped
  const rows = page.locator('[data-test=members] .el-table__body tbody tr')
  await rows.nth(19).waitFor()
  assert.equal(await rows.count(), 20)
  assert.match(await text(page, '[data-test=list-summary]'), new RegExp(`第 1 页，共 ${unitTotal} 人`))
  const firstName = (await rows.first().locator('.member-link').textContent()).trim()
  await page.locator('[data-test=next]').click()
  await page.locator('[data-test=list-summary]', { hasText: '第 2 页' }).waitFor()
  await rows.first().waitFor()
  assert.notEqual((await rows.first().locator('.member-link').textContent()).trim(), firstName)
  await page.locator('[data-test=prev]').click()
  await page.locator('[data-test=list-summary]', { hasText: '第 1 页' }).waitFor()

  // search by name: every row found carries it
  await field(page, 'q').fill(firstName)
  await field(page, 'q').press('Enter')
  await page.locator('[data-test=list-summary]', { hasText: `筛选：“${firstName}”` }).waitFor()
  await rows.first().waitFor()
  for (const n of await rows.locator('.member-link').allTextContents()) assert.ok(n.includes(firstName), n)
  await field(page, 'q').fill('')
  await field(page, 'q').press('Enter')

  // filter by a category: the count on its button, each row tagged
  const retired = Number(await text(page, '[data-test="stat-离退休"] .n'))
  assert.ok(retired > 0 && retired <= 20)
  await page.locator('[data-test=category]').click()
  await page.locator('.el-select-dropdown__item', { hasText: '离退休' }).click()
  await page.locator('[data-test=list-summary]', { hasText: `筛选：离退休；第 1 页，共 ${retired} 人` }).waitFor()
  await rows.nth(retired - 1).waitFor()
  assert.equal(await rows.count(), retired)
  for (const r of await rows.all()) assert.match(await r.textContent(), /离退休/)
  // the category's button toggles the filter off again
  await page.locator('[data-test="stat-离退休"]').click()
  await page.locator('[data-test=list-summary]', { hasText: `第 1 页，共 ${unitTotal} 人` }).waitFor()
  await rows.nth(19).waitFor()
  await shot(page, 'orgs')

  // export the unit's members: a file, with progress while it comes
  await page.locator('[data-test=export]').click()
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.locator('[data-test=export-members-xlsx]').click()
  ])
  assert.equal(download.suggestedFilename(), '党员花名册.xlsx')
  await page.locator('[data-test=transfer-done]', { hasText: '已下载：党员花名册.xlsx' }).waitFor()

  // a roster with one bad row: the preview names the row, column and
  // reason, the good row would be 新增, and nothing is stored
  const csv = (lines) => ({ name: '花名册.csv', mimeType: 'text/csv', buffer: Buffer.from(lines.join('\r\n') + '\r\n') })
  const header = '身份证号码,姓名,性别,组织代码,人员类别'
  const good1 = '110101198001011232,测试甲,男,U003-B01,流动党员'
  const good2 = '110101198202022421,测试乙,女,U003-B01,'
  const bad = '110101198001011231,测试丙,男,U003-B01,'
  await page.locator('[data-test=open-import]').click()
  await page.locator('[data-test=import-file]').setInputFiles(csv([header, good1, bad]))
  await page.locator('[data-test=check]').click()
  const problems = page.locator('[data-test=problems] .el-table__body tbody tr')
  await problems.first().waitFor()
  assert.equal(await problems.count(), 1)
  const cells = await problems.first().locator('td').allTextContents()
  assert.equal(cells[0].trim(), '3')
  assert.equal(cells[1].trim(), '身份证号码')
  assert.match(cells[2], /校验位|身份证/)
  assert.equal(await text(page, '[data-test=preview-2]'), '新增')
  assert.equal(await text(page, '[data-test=preview-3]'), '有错误')
  assert.match(await text(page, '[data-test=import-summary]'), /未导入任何数据/)
  assert.ok(await page.locator('[data-test=confirm-import]').isDisabled())
  // the ID numbers come back masked in the preview
  assert.equal(await page.locator('[data-test=preview]', { hasText: '110101198001011232' }).count(), 0)
  await shot(page, 'orgs-import')
  // the error file is the rejected rows with their reasons
  const [errFile] = await Promise.all([page.waitForEvent('download'), page.locator('[data-test=error-file]').click()])
  assert.equal(errFile.suggestedFilename(), '错误清单.csv')

  // the good file: previewed, confirmed, stored
  await page.locator('[data-test=import-file]').setInputFiles(csv([header, good1, good2]))
  await page.locator('[data-test=check]').click()
  assert.match(await text(page, '[data-test=import-summary]'), /检查通过，尚未导入：共 2 行，将新增 2/)
  await page.locator('[data-test=confirm-import]').click()
  assert.match(await text(page, '[data-test=imported]'), /已导入 2 行：新增 2/)
  await page.locator('[data-test=import-dialog] .el-dialog__headerbtn').click()
  // the unit's figures and list now have them
  await page.locator('[data-test=stat-total]', { hasText: String(unitTotal + 2) }).waitFor()
  await field(page, 'q').fill('测试')
  await field(page, 'q').press('Enter')
  await page.locator('[data-test=list-summary]', { hasText: '筛选：“测试”' }).waitFor()
  // the summary changes at once, the rows when the server's answer is in
  await page.waitForFunction(() => {
    const names = [...document.querySelectorAll('[data-test=members] .member-link')].map((e) => e.textContent.trim())
    return names.length === 2 && names.every((n) => n.startsWith('测试'))
  })
  assert.deepEqual((await rows.locator('.member-link').allTextContents()).map((s) => s.trim()).sort(), ['测试乙', '测试甲'])
  // the bad row's member was never stored
  await field(page, 'q').fill('测试丙')
  await field(page, 'q').press('Enter')
  await page.locator('[data-test=members] .el-table__empty-text', { hasText: '没有符合条件的党员' }).waitFor()

  // a member opens the member page, with registry data and movements
  await field(page, 'q').fill('测试甲')
  await field(page, 'q').press('Enter')
  await page.locator('[data-test=list-summary]', { hasText: '筛选：“测试甲”' }).waitFor()
  await rows.first().locator('.member-link').click()
  await page.waitForURL(/\/members\/\d+/)
  assert.match(await text(page, '[data-test=registry]'), /110\*+1232/)
  assert.match(await text(page, '[data-test=registry]'), /流动党员/)
  await page.locator('[data-test=movements-none]').waitFor()
  // a 转出 recorded here joins the history; a second one is refused next
  // to the field the API names
  await field(page, 'move-date').fill('2005-03-20')
  await field(page, 'move-date').press('Enter')
  await field(page, 'move-note').fill('随配偶调往外省')
  await page.locator('[data-test=move-save]').click()
  assert.match(await text(page, '[data-test=move-saved]'), /已登记转出（2005-03-20）/)
  assert.match(await text(page, '[data-test=movements]'), /2005-03-20\s*转出[\s\S]*随配偶调往外省/)
  assert.match(await text(page, '[data-test=registry]'), /离开日期\s*2005-03-20/)
  await page.locator('[data-test=move-save]').click()
  assert.match(await text(page, '[data-test=error-kind]'), /已转出或去世，只能办理转入/)
  await shot(page, 'member-movements')
  await page.context().close()

  // the branch secretary: only the own branch, on a phone; another
  // branch by URL is not found
  const phone = await newPage({ width: 390, height: 844 })
  await login(phone, 'shuji')
  await phone.waitForURL(/\/study/)
  await phone.goto(base + '/orgs')
  await phone.waitForURL(/\/orgs\?org=\d+/)
  assert.match(await text(phone, '[data-test=org-name]'), /市委机关第一党支部/)
  await phone.locator('[data-test=members] .card').first().waitFor()
  assert.equal(await phone.locator('.el-tree-node').count(), 1)
  const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
  assert.ok(overflow <= 0, 'the page is wider than the phone: ' + overflow + 'px')
  await shot(phone, 'orgs-phone')
  await phone.goto(base + '/orgs?org=' + b02)
  assert.match(await text(phone, '[data-test=org-error]'), /未找到该组织/)
  assert.equal(await phone.locator('[data-test=members]').count(), 0)
  // nor does the API give the list to anyone asking by hand
  const status = await phone.evaluate(async (id) => (await fetch(`/api/v1/orgs/${id}/members`)).status, b02)
  assert.equal(status, 404)
  await phone.context().close()
})

// Picks the option of an Element Plus select: open it, click the option.
// A re-render of the page while the list opens (a list below it loading)
// may close it again: then it is opened once more.
async function choose(page, selectTest, option) {
  const select = page.locator(`[data-test=${selectTest}]`).first()
  const item = (option.startsWith('[') ? page.locator(option) : page.locator('.el-select-dropdown__item:visible', { hasText: option })).first()
  for (let attempt = 0; ; attempt++) {
    await select.click()
    try {
      await item.waitFor({ state: 'visible', timeout: 3000 })
      await item.click()
      return
    } catch (e) {
      if (attempt === 2) throw e
    }
  }
}

async function pickDate(page, test, day) {
  await field(page, test).fill(day)
  await field(page, test).press('Enter')
}

test('shuji: 学习记录 — a 心得体会 with the 字数 the server counted; a 党课 by a non-leader refused next to 主讲人', async () => {
  const page = await newPage()
  await login(page, 'shuji')
  await page.waitForURL(/\/study/)
  await page.goto(base + '/records')
  // the branch is chosen and its roster loaded
  await page.locator('.org-row .sub', { hasText: /党员 [1-9]\d* 人/ }).waitFor()
  const roster = await (await page.request.get(base + '/api/v1/orgs/' + (await branchOf(page, 'U001-B01')) + '/members?limit=500')).json()
  const plain = roster.members.find((m) => !m.categories.includes('党员领导干部') && !m.left_on)
  assert.ok(plain, 'a member who is not a 党员领导干部')
  const writer = roster.members.find((m) => m.id !== 1 && !m.left_on)
  await page.locator('[data-test=member-records] tbody tr').first().waitFor()

  // 心得体会 as text: the reply says how many 字 the server counted
  await choose(page, 'member', `[data-test=pick-member-${writer.id}]`)
  await pickDate(page, 'member-happened_on', '2005-02-26')
  await field(page, 'm-zishu').fill('学习三个代表重要思想的体会，2005年。')
  await field(page, 'm-title').fill('学习体会')
  await page.locator('[data-test=member-save]').click()
  assert.match(await text(page, '[data-test=member-saved]'), new RegExp(writer.name + ' · 心得体会（服务器计得字数 15）'))
  await page.locator('[data-test=member-records] tbody tr', { hasText: writer.name }).first().waitFor()

  // 党课 by someone who is not a 党员领导干部: refused under 主讲人
  await page.locator('#tab-org').click()
  await choose(page, 'o-type', '党课')
  await choose(page, 'o-speaker', `[data-test=o-speaker-${plain.id}]`)
  await pickDate(page, 'org-happened_on', '2005-02-26')
  await page.locator('[data-test=org-save]').click()
  assert.match(await text(page, '[data-test=error-o-speaker]'), /不是党员领导干部/)
  assert.equal(await page.locator('[data-test=org-saved]').count(), 0)
  await shot(page, 'records')
  await page.context().close()
})

// The id of an organisation by its code, as the page's session sees it.
async function branchOf(page, code) {
  const unit = code.split('-')[0]
  const top = await (await page.request.get(base + '/api/v1/orgs')).json()
  for (const o of top.orgs) {
    if (o.code === code) return o.id
    const kids = await (await page.request.get(base + '/api/v1/orgs?parent=' + o.id)).json()
    for (const k of kids.orgs) {
      if (k.code === code) return k.id
      if (k.code === unit) {
        const gk = await (await page.request.get(base + '/api/v1/orgs?parent=' + k.id)).json()
        const hit = gk.orgs.find((g) => g.code === code)
        if (hit) return hit.id
      }
    }
  }
  throw new Error('no organisation ' + code)
}

test('shuji: 专题大讨论 with 参学率 and 发言率 from the roster; an opinion entered and classified', async () => {
  const page = await newPage()
  await login(page, 'shuji')
  await page.waitForURL(/\/study/)
  await page.goto(base + '/records')
  await page.locator('.org-row .sub', { hasText: /党员 [1-9]\d* 人/ }).waitFor()
  await page.locator('#tab-discussion').click()
  await page.locator('[data-test=disc-tick-all]').click()
  assert.match(await text(page, '[data-test=disc-rates]'), /参学率\s*100\.0%/)
  const first = page.locator('[data-test^=spoke-]').first()
  await first.click()
  assert.match(await text(page, '[data-test=disc-rates]'), /发言 1 人/)
  await field(page, 'disc-topic').fill('保持共产党员先进性的具体要求')
  await pickDate(page, 'disc-happened_on', '2005-02-27')
  await page.locator('[data-test=disc-save]').click()
  assert.match(await text(page, '[data-test=disc-saved]'), /发言 1 人/)
  await page.locator('[data-test=disc-records] tbody tr', { hasText: '发言人数：1' }).first().waitFor()

  await page.locator('#tab-opinion').click()
  await choose(page, 'op-channel', '意见箱')
  await choose(page, 'op-target', '支部')
  await pickDate(page, 'op-received_on', '2005-02-27')
  await field(page, 'op-text').fill('学习时间安排偏紧')
  // a 支部 target without the organisation: the server names the field
  await page.locator('[data-test=op-save]').click()
  assert.match(await text(page, '[data-test=error-op-target_org_id]'), /.+/)
  await page.locator('[data-test=op-target-org] .el-cascader').click()
  await page.locator('.el-cascader-node:visible .el-radio').first().click()
  await page.locator('[data-test=op-save]').click()
  const saved = await text(page, '[data-test=op-saved]')
  const id = saved.match(/已录入意见 (\d+)/)[1]
  await page.locator(`[data-test=op-classify-${id}]`).click()
  await choose(page, 'op-category', '党员和党组织自身存在的突出问题')
  await page.locator('[data-test=op-confirm]').click()
  assert.match(await text(page, '[data-test=op-done]'), new RegExp(`意见 ${id}：已归类`))
  await shot(page, 'records-opinions')
  await page.context().close()
})

test('admin: the dashboard charts progress over time; the unit page shows its 转段 history and records; a unit applies for 转段', async () => {
  const page = await newPage()
  await login(page, 'admin')
  await page.waitForURL(/\/dashboard/)
  await page.locator('[data-test=progress-chart] canvas').waitFor()
  const points = Number(await page.locator('[data-test=progress-chart]').getAttribute('data-points'))
  assert.ok(points >= 2, 'points: ' + points)
  const chart = page.locator('[data-test=progress-chart]')
  assert.equal(Number(await chart.getAttribute('data-units')), 107)
  await shot(page, 'dashboard-progress')

  // one 系统: the chart is re-drawn from that 系统's series, as many
  // units as its row of the per-系统 summary
  const sysRow = page.locator('[data-test=systems] .el-table__body tbody tr').first()
  await sysRow.waitFor()
  const sysName = (await sysRow.locator('td').nth(0).textContent()).trim()
  const sysUnits = Number((await sysRow.locator('td').nth(1).textContent()).trim())
  assert.ok(sysUnits > 0 && sysUnits < 107, sysName + ': ' + sysUnits)
  await page.locator('[data-test=series-system]').click()
  await page.locator('.el-select-dropdown__item:visible').filter({ hasText: new RegExp('^\\s*' + sysName + '\\s*$') }).click()
  const sysChart = page.locator(`[data-test=progress-chart][data-system="${sysName}"]`)
  await sysChart.waitFor()
  assert.equal(Number(await sysChart.getAttribute('data-units')), sysUnits)
  assert.match(await text(page, '[data-test=series-last]'), new RegExp(sysUnits + ' 个单位'))

  // one stage for every unit of that 系统: 分析评议's conditions, none
  // met yet by units still in 学习动员
  const lastLearn = await sysChart.getAttribute('data-last')
  await page.locator('[data-test=series-stage]').click()
  await page.locator('.el-select-dropdown__item:visible', { hasText: '分析评议' }).click()
  const stageChart = page.locator(`[data-test=progress-chart][data-stage="分析评议"][data-system="${sysName}"]`)
  await stageChart.waitFor()
  assert.equal(Number(await stageChart.getAttribute('data-units')), sysUnits)
  assert.notEqual(await stageChart.getAttribute('data-last'), lastLearn)
  await shot(page, 'dashboard-progress-system')

  // U001: its steps from 回头看 on, as a timeline; its records
  const u1 = await branchOf(page, 'U001')
  await page.goto(base + '/units/' + u1 + '?tab=transition')
  await page.locator('[data-test=tr-history] [data-test=tr-step-override]').waitFor()
  assert.ok((await page.locator('[data-test=tr-history] [data-test=tr-step-lookback]').count()) >= 4)
  await shot(page, 'unit-transition')
  await page.locator('#tab-records').click()
  await page.locator('[data-test=unit-records] tbody tr').first().waitFor()

  // U002 applies: 回头看 answers and the 自查 report are taken; the gate
  // refuses and says what fails; the office then lets it apply over them
  const u2 = await branchOf(page, 'U002')
  await page.goto(base + '/units/' + u2 + '?tab=transition')
  await page.locator('[data-test=tr-apply]').click()
  const answers = page.locator('textarea[data-test^=tr-answer-]')
  await answers.first().waitFor()
  const n = await answers.count()
  assert.ok(n >= 1)
  for (let i = 0; i < n; i++) await answers.nth(i).fill('已逐项对照检查')
  await field(page, 'tr-report').fill('本单位学习动员阶段自查报告')
  await page.locator('[data-test=tr-confirm]').click()
  assert.match(await text(page, '[data-test=tr-failing]'), /未达标：/)
  assert.match(await text(page, '[data-test=error-tr-apply]'), /.+/)
  await shot(page, 'unit-apply-refused')
  await page.locator('.el-dialog__headerbtn:visible').click()
  await page.locator('[data-test=tr-state]', { hasText: '自查' }).waitFor()

  await page.locator('[data-test=tr-override]').click()
  await page.locator('[data-test=tr-confirm]').click()
  assert.match(await text(page, '[data-test=error-tr-reason]'), /reason|理由/)
  await field(page, 'tr-reason').fill('时间服从质量，先教办准予申请')
  await page.locator('[data-test=tr-confirm]').click()
  assert.match(await text(page, '[data-test=tr-done]'), /已/)
  await page.locator('[data-test=tr-history] [data-test=tr-step-override]').waitFor()
  await page.locator('[data-test=tr-state]', { hasText: '申请转段' }).waitFor()
  await shot(page, 'unit-applied')
  await page.context().close()
})

test('danwei: the unit roster exports from the unit page with its progress shown', async () => {
  const page = await newPage()
  await login(page, 'danwei')
  await page.waitForURL(/\/dashboard/)
  await page.goto(base + '/units/' + (await branchOf(page, 'U001')))
  const saved = page.waitForEvent('download')
  await page.locator('[data-test=export-roster]').click()
  const file = await saved
  assert.match(file.suggestedFilename(), /党员花名册\.xlsx$/)
  await page.locator('[data-test=export-progress]', { hasText: '100%' }).waitFor()
  assert.equal(await page.locator('[data-test=error-export]').count(), 0)
  await page.context().close()
})

test('shuji: a 心得体会 corrected from the record list supersedes the original, which stays', async () => {
  const page = await newPage()
  await login(page, 'shuji')
  await page.waitForURL(/\/study/)
  await page.goto(base + '/records')
  const list = page.locator('[data-test=member-records]')
  const button = list.locator('.el-table button[data-test^=correct-]:visible').first()
  await button.waitFor()
  const original = (await button.getAttribute('data-test')).replace('correct-', '')
  await button.click()
  await field(page, 'correct-title').fill('学习体会（更正题目）')
  await page.locator('[data-test=correct-confirm]').click()
  assert.match(await text(page, '[data-test=record-notice]'), new RegExp(`已更正记录 ${original}（新记录 \\d+）`))
  // the new record names the one it corrects; the original is kept
  await list.locator('.el-tag', { hasText: '更正 ' + original }).waitFor()
  await list.locator('.el-checkbox').click()
  await list.locator('.el-tag', { hasText: /已更正 → \d+/ }).first().waitFor()
  await page.context().close()
})

// --- 集中学习 by the session, and sign-in sheets (U003 only: no other
// test uses it) ---------------------------------------------------------

// The API as a logged-in user, outside the browser (setting up data).
async function apiLogin(user, password = PASSWORD) {
  const r = await fetch(base + '/api/v1/session', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ login: user, password })
  })
  assert.equal(r.status, 200)
  const cookie = r.headers.get('set-cookie').split(';')[0]
  const { csrf_token } = await r.json()
  return async (method, path, body) => {
    const headers = { Cookie: cookie, 'X-CSRF-Token': csrf_token }
    if (body !== undefined && typeof body !== 'string') headers['Content-Type'] = 'application/json'
    const resp = await fetch(base + '/api/v1' + path, {
      method,
      headers,
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body)
    })
    const text = await resp.text()
    return { status: resp.status, body: text.startsWith('{') ? JSON.parse(text) : text }
  }
}

let u003 = null
// A unit office for U003, made by the office over the API (once).
async function unitOfficeU003() {
  if (u003) return u003
  const admin = await apiLogin('admin')
  // the tree from its roots down, until U003 is found
  let unit = null
  for (let level = (await admin('GET', '/orgs')).body.orgs; !unit && level.length; ) {
    unit = level.find((o) => o.code === 'U003')
    const next = []
    for (const o of level) if (!o.is_unit) next.push(...(await admin('GET', '/orgs?parent=' + o.id)).body.orgs)
    level = next
  }
  assert.ok(unit, 'U003 in the demo campaign')
  const user = await admin('POST', '/users', { login: 'danwei-u003', display_name: '市政府机关党委办公室', password: PASSWORD })
  assert.equal(user.status, 201)
  assert.equal((await admin('POST', '/users/' + user.body.id + '/grants', { role: 'unit', org_id: unit.id })).status, 201)
  const members = []
  for (let after = 0; ; ) {
    const page = await admin('GET', '/orgs/' + unit.id + '/members?limit=500' + (after ? '&after=' + after : ''))
    members.push(...page.body.members)
    if (page.body.members.length < 500) break
    after = members[members.length - 1].id
  }
  u003 = { admin, unit, members }
  return u003
}

test('a unit office enters one session of 60-odd names; a refused name stands next to its row and nothing is stored', async () => {
  const { admin, unit, members } = await unitOfficeU003()
  assert.ok(members.length >= 55, 'U003 has ' + members.length + ' members')
  // one member already studied 09:00-11:00 that day: the session's time
  // overlaps, so that name is refused
  const busy = members[Math.floor(members.length / 2)]
  const prior = await admin('POST', '/records', {
    kind: 'study_attendance',
    member_id: busy.id,
    happened_on: '2005-03-01',
    payload: { hours: 2, start: '09:00', session: '支部学习' }
  })
  assert.equal(prior.status, 201)

  const page = await newPage()
  await login(page, 'danwei-u003')
  await page.waitForURL(/\/dashboard/)
  await page.goto(base + '/study')
  const first = page.locator(`[data-test=tick-${members[0].id}]`)
  await first.waitFor()
  await field(page, 'happened_on').fill('2005-03-01')
  await field(page, 'happened_on').press('Enter')
  await field(page, 'start').fill('08:30')
  await field(page, 'hours').fill('4')
  await field(page, 'hours').press('Tab')
  await field(page, 'session').fill('学习党章')
  await page.locator('[data-test=tick-all]').click()
  const posts = []
  page.on('request', (r) => {
    if (r.method() === 'POST' && r.url().endsWith('/api/v1/sessions')) posts.push(r)
  })
  await page.locator('[data-test=save]').click()
  assert.match(await text(page, `[data-test=error-member-${busy.id}]`), /时间重叠/)
  assert.match(await text(page, '[data-test=error-members]'), /1 人有问题，这次学习未录入/)
  assert.equal(posts.length, 1, 'the whole list in one request')
  assert.equal(JSON.parse(posts[0].postData()).attendance.length, members.length)
  // only that name is marked
  assert.equal(await page.locator('[data-test^=error-member-]').count(), 1)
  await shot(page, 'study-session-refused')
  // nothing stored
  const none = await admin('GET', '/orgs/' + unit.id + '/records?kind=study_session')
  assert.equal(none.body.records.length, 0)
  const attended = await admin('GET', '/orgs/' + unit.id + '/records?kind=study_attendance&limit=500')
  assert.equal(attended.body.records.filter((r) => r.happened_on === '2005-03-01').length, 1)

  // that member was away on leave: a reason makes them absent, and the
  // same list goes through
  await page.locator(`[data-test=absent-${busy.id}]`).click()
  await page.locator('.el-select-dropdown__item:visible', { hasText: '请假' }).click()
  await page.locator('[data-test=save]').click()
  assert.match(await text(page, '[data-test=saved]'), new RegExp(`已录入 ${members.length - 1} 人：.*；缺勤 1 人`))
  assert.equal(await page.locator('[data-test^=error-member-]').count(), 0)
  const sessions = await admin('GET', '/orgs/' + unit.id + '/records?kind=study_session')
  assert.equal(sessions.body.records.length, 1)
  const sid = sessions.body.records[0].id
  const linked = await admin('GET', '/orgs/' + unit.id + '/records?limit=500')
  assert.equal(linked.body.records.filter((r) => r.session_id === sid).length, members.length)
  await shot(page, 'study-session')
  await page.context().close()
})

test('a sign-in sheet with one bad row: previewed with its row and reason, nothing stored; fixed, it goes in', async () => {
  const { admin, unit, members } = await unitOfficeU003()
  // the full ID numbers, as a unit office has them on paper
  const roster = execFileSync(bin, ['export', 'members', '--db', join(tmp, 'demo.db'), '--org', 'U003', '--full-id'], {
    cwd: root,
    encoding: 'utf8'
  })
  const lines = roster.replace(/^\uFEFF/, '').trim().split(/\r?\n/)
  const head = lines[0].split(',')
  const iName = head.indexOf('姓名')
  const iId = head.findIndex((h) => h.startsWith('身份证'))
  assert.ok(iName >= 0 && iId >= 0, 'roster columns: ' + lines[0])
  const people = lines.slice(1, 6).map((l) => l.split(','))
  // row 4 (the third person) is written with another name
  const sheet = (wrong) =>
    '姓名,身份证号码\n' + people.map((p, i) => (wrong && i === 2 ? '王小二' : p[iName]) + ',' + p[iId]).join('\n') + '\n'
  const dir = mkdtempSync(join(tmpdir(), 'xj-sheet-'))
  const bad = join(dir, '签到表.csv')
  const good = join(dir, '签到表-改.csv')
  writeFileSync(bad, sheet(true))
  writeFileSync(good, sheet(false))
  const countOn = async (day) =>
    (await admin('GET', '/orgs/' + unit.id + '/records?kind=study_attendance&limit=500')).body.records.filter(
      (r) => r.happened_on === day
    ).length
  const before = await countOn('2005-03-02')

  const page = await newPage()
  await login(page, 'danwei-u003')
  await page.waitForURL(/\/dashboard/)
  await page.goto(base + '/study')
  await page.locator(`[data-test=tick-${members[0].id}]`).waitFor()
  await field(page, 'happened_on').fill('2005-03-02')
  await field(page, 'happened_on').press('Enter')
  await field(page, 'start').fill('14:30')
  await field(page, 'hours').fill('3')
  await field(page, 'hours').press('Tab')
  await page.locator('[data-test=sheet-file]').setInputFiles(bad)
  await page.locator('[data-test=sheet-preview]').click()
  const problem = page.locator('[data-test=sheet-problems] .el-table__body tbody tr')
  await problem.first().waitFor()
  assert.equal(await problem.count(), 1)
  const cells = await problem.first().locator('td').allTextContents()
  assert.equal(cells[0].trim(), '4')
  assert.equal(cells[1].trim(), '姓名')
  assert.match(cells[2], /姓名“王小二”与身份证号码登记的“.+”不符/)
  // the other rows are shown as they would be entered
  const ok = page.locator('[data-test=sheet-rows] .el-table__body tbody tr')
  await ok.nth(3).waitFor()
  assert.equal(await ok.count(), 4)
  assert.ok(await page.locator('[data-test=sheet-confirm]').isDisabled())
  await shot(page, 'study-sheet-preview')
  assert.equal(await countOn('2005-03-02'), before, 'a preview stores nothing')

  // the rejected rows as a file, to fix
  const download = page.waitForEvent('download')
  await page.locator('[data-test=sheet-errors]').click()
  assert.match((await download).suggestedFilename(), /错误清单\.csv/)

  await page.locator('[data-test=sheet-file]').setInputFiles(good)
  await page.locator('[data-test=sheet-preview]').click()
  assert.match(await text(page, '[data-test=sheet-message]'), /共 5 行，均可录入/)
  await page.locator('[data-test=sheet-confirm]').click()
  assert.match(await text(page, '[data-test=sheet-done]'), /已导入 5 条出勤记录/)
  assert.equal(await countOn('2005-03-02'), before + 5)
  rmSync(dir, { recursive: true, force: true })
  await page.context().close()
})

test('佩戴党徽: inspections found without the badge climb the plan’s ladder, shown per level', async () => {
  const { members } = await unitOfficeU003()
  const page = await newPage()
  await login(page, 'danwei-u003')
  await page.waitForURL(/\/dashboard/)
  await page.goto(base + '/badges')
  await page.locator('[data-test=ladder-badge_check]').waitFor()
  const who = members[members.length - 1]
  for (const day of ['2005-03-03', '2005-03-04']) {
    await page.locator('[data-test=member]').click()
    await page.locator('.el-select-dropdown__item:visible', { hasText: who.name }).first().click()
    await field(page, 'happened_on').fill(day)
    await field(page, 'happened_on').press('Enter')
    await page.locator('[data-test=save]').click()
    await page.locator('[data-test=done]').waitFor()
  }
  const second = page.locator('[data-test=ladder-badge_check] [data-test=level-2]')
  await second.locator('a', { hasText: who.name }).waitFor()
  assert.match(await second.textContent(), /提出批评（1 人）/)
  // a date in the future is refused next to the form
  await field(page, 'happened_on').fill('2099-01-01')
  await field(page, 'happened_on').press('Enter')
  await page.locator('[data-test=save]').click()
  assert.match(await text(page, '[data-test=error-happened_on]'), /晚于今天/)
  await shot(page, 'badges')
  // the member's page shows the same step and both inspections
  await second.locator('a', { hasText: who.name }).click()
  await page.waitForURL(/\/members\/\d+/)
  const esc = page.locator('[data-test=esc-badge_check][data-level="2"]')
  await esc.waitFor()
  assert.match(await esc.locator('[data-test=esc-step]').textContent(), /提出批评/)
  assert.match(await esc.textContent(), /共 2 次/)
  const badgeRows = page.locator('[data-test=member-record-list] .el-table__body tbody tr', { hasText: '佩戴党徽' })
  await badgeRows.nth(1).waitFor()
  await page.context().close()
})

test('情况反映: a 党委成员’s report waits for the supervision group, which reviews it once with a comment', async () => {
  const { admin, members } = await unitOfficeU003()
  // a member of U003's 领导班子 (the roster's 领导班子职务) writes a 情况反映
  const roster = execFileSync(bin, ['export', 'members', '--db', join(tmp, 'demo.db'), '--org', 'U003'], {
    cwd: root,
    encoding: 'utf8'
  })
  const lines = roster.replace(/^\uFEFF/, '').trim().split(/\r?\n/)
  const head = lines[0].split(',')
  const iSeat = head.indexOf('领导班子职务')
  const iName = head.indexOf('姓名')
  const row = lines.slice(1).map((l) => l.split(',')).find((c) => c[iSeat])
  assert.ok(row, 'U003 has a 领导班子 member')
  const seated = members.find((m) => m.name === row[iName])
  const rec = await admin('POST', '/records', {
    kind: 'service_card',
    member_id: seated.id,
    happened_on: '2005-03-05',
    payload: { item: '撰写情况反映', note: '群众反映办事大厅排队时间长' }
  })
  assert.equal(rec.status, 201)
  const page = await newPage()
  await login(page, 'dudao')
  await page.waitForURL(/\/dashboard/)
  await page.goto(base + '/reports')
  const card = page.locator(`[data-test=report-${rec.body.id}]`)
  await card.waitFor()
  assert.match(await card.textContent(), /待审查/)
  // no comment: refused next to the report
  await page.locator(`[data-test=review-${rec.body.id}]`).click()
  assert.match(await text(page, `[data-test=error-${rec.body.id}]`), /审查意见不能为空/)
  await field(page, `comment-${rec.body.id}`).fill('情况属实，转单位整改')
  await page.locator(`[data-test=review-${rec.body.id}]`).click()
  assert.match(await text(page, `[data-test=report-${rec.body.id}] [data-test=review]`), /情况属实，转单位整改/)
  await shot(page, 'reports')
  await page.context().close()
})
