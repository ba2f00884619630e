export { checkDotenv, type DotenvCheck } from './check-dotenv';
export { examplePlaceholderProblem } from './example-placeholders';
export { loadDotenv, type DotenvResult } from './load-dotenv';
export { formatRoutingError, loadRouting, parseRouting, type RoutingError, type RoutingResult } from './load-routing';
export { parseDuration } from './parse-duration';
export { databasePathIn, readEnv, type AppConfig, type EnvResult, type LogLevel, type Synchronous } from './read-env';
