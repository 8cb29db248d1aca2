/** The landing page: only the frame (language switch) is dynamic. */
import { bootPublic } from './shell.js';

bootPublic();
