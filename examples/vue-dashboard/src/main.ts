import { createApp } from 'vue';
import App from './App.vue';
import { lifeline } from './lifeline';

createApp(App).use(lifeline).mount('#app');
