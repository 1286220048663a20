import { Link } from 'react-router';
import { Page } from './page';

export function NotFoundPage() {
  return (
    <Page title="Not found">
      <p>There is no such page in the console.</p>
      <p>
        <Link to="/">Go to the start page</Link>
      </p>
    </Page>
  );
}
