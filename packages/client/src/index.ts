export { assignFederatedNames } from './catalog/federated-names.js';
