import { createRouter, createWebHistory } from 'vue-router'
import { session, restore, homeFor } from './api'
import Login from './pages/Login.vue'
import Dashboard from './pages/Dashboard.vue'
import Unit from './pages/Unit.vue'
import Member from './pages/Member.vue'
import Study from './pages/Study.vue'
import Transitions from './pages/Transitions.vue'
import Orgs from './pages/Orgs.vue'
import Records from './pages/Records.vue'
import Badge from './pages/Badge.vue'
import Reports from './pages/Reports.vue'

export const router = createRouter({
  history: createWebHistory(),
  routes: [
    { path: '/', redirect: () => homeFor(session.current) },
    { path: '/login', component: Login, meta: { public: true } },
    { path: '/dashboard', component: Dashboard },
    { path: '/units/:id(\\d+)', component: Unit },
    { path: '/members/:id(\\d+)', component: Member },
    { path: '/me', component: Member },
    { path: '/study', component: Study },
    { path: '/transitions', component: Transitions },
    { path: '/orgs', component: Orgs },
    { path: '/records', component: Records },
    { path: '/badges', component: Badge },
    { path: '/reports', component: Reports },
    { path: '/:rest(.*)*', redirect: '/' }
  ]
})

let restored = false
router.beforeEach(async (to) => {
  if (!restored) {
    restored = true
    try {
      await restore()
    } catch {
      /* the server is unreachable: the login page says so on submit */
    }
  }
  if (to.meta.public) return true
  if (!session.current) return { path: '/login', query: { next: to.fullPath } }
  return true
})
