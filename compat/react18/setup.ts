import { version } from 'react';
import { version as domVersion } from 'react-dom';

if (!version.startsWith('18.') || !domVersion.startsWith('18.')) {
  throw new Error(`compat/react18 must run on React 18, got react ${version} and react-dom ${domVersion}`);
}
