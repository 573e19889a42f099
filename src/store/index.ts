export { FeedbackStore } from './feedback-store.js';
export type { Feedback, Verdict } from './feedback-store.js';
