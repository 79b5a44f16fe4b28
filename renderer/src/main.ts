import { createApp } from 'vue';
import { createPinia } from 'pinia';
import { z } from 'zod';
import App from './App.vue';
import './styles/theme.css';
import './components/ui/base.css';

// Our CSP forbids eval; without this zod probes `new Function` and every load logs a violation.
z.config({ jitless: true });

createApp(App).use(createPinia()).mount('#app');
