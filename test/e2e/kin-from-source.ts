// Runs `kin` straight from src/ through tsx, for end-to-end tests while developing (KIN_E2E_SOURCE=1): no build.
import { main } from '../../src/cmd/main.js';

void main(process.argv.slice(2));
