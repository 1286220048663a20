import { useEffect } from 'react';

/** Sets the document title. Titles name screens and resources, never a secret value. */
export function usePageTitle(title: string): void {
  useEffect(() => {
    document.title = `${title} · Lockwell`;
  }, [title]);
}
