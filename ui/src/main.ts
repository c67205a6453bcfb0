import { mount } from 'svelte';
import App from './App.svelte';
import './app.css';
import { platform, type Platform } from './lib/platform';

const target = document.getElementById('app');
if (!target) throw new Error('index.html has no #app element');

// `vite build --mode mock` makes a browser build over fictional data in memory (for the accessibility
// check in Chromium); every other build talks to the desktop shell.
async function choose(): Promise<Platform> {
  if (import.meta.env.MODE === 'mock') return (await import('./lib/platform/demo')).demoPlatform();
  return platform();
}

choose().then((p) => mount(App, { target, props: { platform: p } }));
