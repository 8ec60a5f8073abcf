package ferrolog

import "context"

type loggerKey struct{}
type spanKey struct{}

// NewContext carries l in ctx: FromContext, the slog Handler and the middleware log through
// the logger of the context, so a request's scope and span follow it down the call chain.
func NewContext(ctx context.Context, l *Logger) context.Context {
	return context.WithValue(ctx, loggerKey{}, l)
}

// FromContext is the logger ctx carries, else fallback.
func FromContext(ctx context.Context, fallback *Logger) *Logger {
	if l, ok := ctx.Value(loggerKey{}).(*Logger); ok {
		return l
	}
	return fallback
}

// ContextWithScope starts a scope of the logger ctx carries (else of l) and carries it in
// the returned context.
func ContextWithScope(ctx context.Context, l *Logger) (context.Context, *Scope, error) {
	scope, err := FromContext(ctx, l).Scope()
	if err != nil {
		return ctx, nil, err
	}
	return NewContext(ctx, &scope.Logger), scope, nil
}

// SpanFromContext is the span ctx carries, or nil.
func SpanFromContext(ctx context.Context) *Span {
	span, _ := ctx.Value(spanKey{}).(*Span)
	return span
}

// StartSpan starts a span from the logger ctx carries (else from l): a child of the span
// ctx carries, if any. The returned context carries the span and its logger, so what is
// logged through it carries the span's trace ids.
func StartSpan(ctx context.Context, l *Logger, name, operation string) (context.Context, *Span, error) {
	span, err := FromContext(ctx, l).StartSpan(name, operation)
	if err != nil {
		return ctx, nil, err
	}
	return withSpan(ctx, span)
}

func withSpan(ctx context.Context, span *Span) (context.Context, *Span, error) {
	logger, err := span.Logger()
	if err != nil {
		span.Close()
		return ctx, nil, err
	}
	return context.WithValue(NewContext(ctx, logger), spanKey{}, span), span, nil
}
