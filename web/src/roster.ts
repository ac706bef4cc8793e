// The members of an organisation's subtree, page by page (GET
// /orgs/{id}/members), for the pickers of the entry forms.
import { api } from './api'
import type { MemberRow } from './types'

export interface RosterRow extends MemberRow {
  left_on?: string
}

export async function loadRoster(orgId: number): Promise<RosterRow[]> {
  const out: RosterRow[] = []
  let after = 0
  for (;;) {
    const q = '?limit=500' + (after ? '&after=' + after : '')
    const page = await api<{ members: RosterRow[] }>('GET', '/orgs/' + orgId + '/members' + q)
    out.push(...page.members)
    if (page.members.length < 500) break
    after = page.members[page.members.length - 1].id
  }
  // those who have left (转出, 去世) are not on the roster any more
  return out.filter((m) => !m.left_on)
}
