'use strict';
// The conformance scenario through the Node binding's public API; see run.c for the arguments
// and the output, which are the same in every language.

const fs = require('node:fs');
const { Client, FerrologError } = require('../../bindings/node');

const OUTCOMES = { ok: 'accepted', filtered: 'filtered' };

/** An Error of the scenario's type and causes whose V8 stack lists the scenario's frames. */
function errorOf(step) {
  const make = ({ type, message }, cause) => {
    const error = new Error(message, cause === undefined ? undefined : { cause });
    error.name = type;
    return error;
  };
  const cause = step.causes.reduceRight((below, link) => make(link, below), undefined);
  const error = make(step, cause);
  const lines = step.frames.map((f) => `    at ${f.function} (${f.module}:${f.line}:1)`);
  error.stack = [`${step.type}: ${step.message}`, ...lines].join('\n');
  return error;
}

class Runner {
  constructor(scenario, options, marker) {
    this.clients = [];
    this.named = {};
    for (const [name, own] of Object.entries(scenario.clients)) {
      const client = new Client({ ...options, ...own });
      this.clients.push(client);
      this.named[name] = client.logger().child({ 'conformance.run': marker });
    }
  }

  perform(step) {
    const logger = this.named[step.logger ?? 'root'];
    const span = this.named[step.span];
    const attributes = step.attributes;
    switch (step.call) {
      case 'log': return logger.log(step.level, step.message, attributes);
      case 'child': this.named[step.as] = logger.child(attributes); break;
      case 'scope': this.named[step.as] = logger.scope(); break;
      case 'metric': return logger.metric(step.kind, step.name, step.value, { unit: step.unit, attributes });
      case 'event': return logger.event(step.name, attributes);
      case 'audit':
        return logger.audit({
          action: step.action, actor: step.actor, actorType: step.actor_type, resource: step.resource,
          resourceId: step.resource_id, outcome: step.outcome_field, attributes,
        });
      case 'scope_set_user': logger.setUser(step.user_id); break;
      case 'scope_set_request': logger.setRequest(step.method, step.path, step.request_id); break;
      case 'scope_set_attribute': logger.setAttribute(step.key, step.value); break;
      case 'breadcrumb':
        logger.addBreadcrumb(step.message, { category: step.category, level: step.level, data: step.data });
        break;
      case 'capture_error': return logger.captureError(errorOf(step), { attributes });
      case 'span_start': this.named[step.as] = logger.span(step.name, step.operation); break;
      case 'span_set_attribute': span.setAttribute(step.key, step.value); break;
      case 'span_set_error': span.setError(step.message); break;
      case 'span_logger': this.named[step.as] = span.logger(); break;
      case 'span_end': return span.end();
      default: throw new Error(`run.js: unknown call ${step.call}`);
    }
    return 'ok';
  }

  outcome(step) {
    try {
      return OUTCOMES[this.perform(step)] ?? 'unexpected';
    } catch (error) {
      // The binding refuses bad arguments with its own checks (TypeError, RangeError) or with
      // the core's argument errors (FerrologError).
      if (error instanceof FerrologError || error instanceof TypeError || error instanceof RangeError) {
        return 'refused';
      }
      throw error;
    }
  }
}

async function main([scenarioPath, optionsJson, marker, language]) {
  const scenario = JSON.parse(fs.readFileSync(scenarioPath, 'utf8'));
  const runner = new Runner(scenario, JSON.parse(optionsJson), marker);
  scenario.steps.forEach((step, index) => {
    if ((step.languages ?? [language]).includes(language)) {
      console.log(JSON.stringify({ step: index, outcome: runner.outcome(step) }));
    }
  });
  const settled = await Promise.all(runner.clients.map((client) => client.shutdown(10000)));
  process.exitCode = settled.every(Boolean) ? 0 : 3;
}

main(process.argv.slice(2));
