import { NavLink, Route, Routes } from 'react-router';
import { Page } from '../layout/page';
import { InboxTab } from './inbox.tab';
import { PreferencesTab } from './preferences.tab';

/** The caller's notifications: the inbox (the default tab) and where each kind reaches them. */
export function NotificationsPage() {
  return (
    <Page title="Notifications">
      <nav aria-label="Notification sections" className="tabs">
        <NavLink to="/notifications" end>
          Inbox
        </NavLink>
        <NavLink to="/notifications/preferences">Preferences</NavLink>
      </nav>
      <Routes>
        <Route index element={<InboxTab />} />
        <Route path="preferences" element={<PreferencesTab />} />
      </Routes>
    </Page>
  );
}
