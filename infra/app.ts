/**
 * CDK entry (`cdk.json`: `npx tsx infra/app.ts`). Stage from context: `-c stage=dev|prod`,
 * alarm e-mail from `-c alarmEmail=ops@example.com`.
 */
import { App } from 'aws-cdk-lib';
import { buildNewsflow } from './newsflow-app.ts';

const app = new App();
buildNewsflow(app);
app.synth();
