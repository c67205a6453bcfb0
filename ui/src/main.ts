import { mount } from 'svelte';
import App from './App.svelte';
import './app.css';
import { platform } from './lib/platform';

const target = document.getElementById('app');
if (!target) throw new Error('index.html has no #app element');
mount(App, { target, props: { platform: platform() } });
