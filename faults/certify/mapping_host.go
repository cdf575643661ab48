package certify

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	ltypes "github.com/aws/aws-sdk-go-v2/service/lambda/types"

	"github.com/dynafault/dynafault/faults/client"
)

// mappingHost is the battery's side of a Mapping consumer: the function
// it registers for the run (and the server of an in-process handler),
// and the Lambda API calls on each scenario's mapping.
type mappingHost struct {
	m        Mapping
	function string
	lambda   *lambda.Client
	adm      *client.Client
	log      *slog.Logger
	srv      *handlerServer
	// registered: the battery registered the function; previous is the
	// function of that name it replaced, registered again after the run.
	registered bool
	previous   *client.Function
}

// defaultFunctionTimeout is the timeout of a function the battery
// registers: Lambda's default.
const defaultFunctionTimeout = 3 * time.Second

// statePoll is the pause between two reads of a mapping's state.
const statePoll = 20 * time.Millisecond

// open checks the Mapping and makes its function ready for the run:
// serves an in-process handler and registers it, registers a URL, or
// checks that the named function is registered.
func (h *mappingHost) open(ctx context.Context) error {
	m := h.m
	switch {
	case m.Handler != nil && m.HandlerFor != nil:
		return errors.New("certify: Mapping.Handler and Mapping.HandlerFor exclude each other")
	case m.inProcess() && m.URL != "":
		return errors.New("certify: Mapping.URL and an in-process handler exclude each other")
	case h.function == "":
		return errors.New("certify: Mapping.Function is required unless a Handler is given")
	case !m.inProcess() && m.URL == "":
		_, err := h.adm.Function(ctx, h.function)
		if client.IsNotFound(err) {
			return fmt.Errorf("certify: function %s is not registered on the server: register it (PUT /_admin/functions/%s) or give its URL",
				h.function, h.function)
		}
		return err
	}
	timeout := m.Timeout
	if timeout == 0 {
		timeout = defaultFunctionTimeout
	}
	url := m.URL
	if m.inProcess() {
		addr := m.HandlerAddr
		if addr == "" {
			addr = "127.0.0.1:0"
		}
		srv, err := startHandlerServer(addr, timeout)
		if err != nil {
			return err
		}
		h.srv, url = srv, srv.url(h.function)
	}
	prev, err := h.adm.Function(ctx, h.function)
	switch {
	case err == nil && prev.InProcess:
		h.close()
		return fmt.Errorf("certify: function %s is an in-process function of the server: the battery could not register it again after the run; name another function",
			h.function)
	case err == nil:
		h.previous = &prev
	case !client.IsNotFound(err):
		h.close()
		return err
	}
	if _, err := h.adm.PutFunction(ctx, h.function, client.FunctionSpec{URL: url, Timeout: timeout, Concurrency: m.Concurrency}); err != nil {
		h.close()
		return fmt.Errorf("certify: registering function %s: %w", h.function, err)
	}
	h.registered = true
	return nil
}

// close forgets the function the battery registered (registering again
// the one it replaced) and stops serving the in-process handler.
func (h *mappingHost) close() {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if h.registered {
		h.registered = false
		var err error
		if p := h.previous; p != nil {
			timeout, _ := time.ParseDuration(p.Timeout)
			_, err = h.adm.PutFunction(ctx, h.function, client.FunctionSpec{URL: p.URL, Timeout: timeout, Concurrency: p.Concurrency})
		} else if err = h.adm.DeleteFunction(ctx, h.function); client.IsNotFound(err) {
			err = nil
		}
		if err != nil {
			h.log.Warn("restoring the function after the run", "function", h.function, "err", err)
		}
	}
	if h.srv != nil {
		h.srv.close()
	}
}

// create creates the scenario's mapping on the stream and returns its
// UUID.
func (h *mappingHost) create(ctx context.Context, streamARN string) (string, error) {
	in := h.m.Settings
	in.FunctionName = aws.String(h.function)
	in.EventSourceArn = aws.String(streamARN)
	in.Enabled = aws.Bool(true)
	if in.StartingPosition == "" {
		in.StartingPosition = ltypes.EventSourcePositionTrimHorizon
	}
	out, err := h.lambda.CreateEventSourceMapping(ctx, &in)
	if err != nil {
		return "", fmt.Errorf("creating the event source mapping to %s: %w", h.function, err)
	}
	return aws.ToString(out.UUID), nil
}

// state returns the mapping's state ("" once it is gone).
func (h *mappingHost) state(ctx context.Context, uuid string) (string, error) {
	out, err := h.lambda.GetEventSourceMapping(ctx, &lambda.GetEventSourceMappingInput{UUID: aws.String(uuid)})
	var nf *ltypes.ResourceNotFoundException
	switch {
	case errors.As(err, &nf):
		return "", nil
	case err != nil:
		return "", err
	}
	return aws.ToString(out.State), nil
}

// waitState waits until the mapping is in the state, at most timeout;
// it reports whether it got there.
func (h *mappingHost) waitState(ctx context.Context, uuid, want string, timeout time.Duration) (bool, error) {
	return poll(ctx, timeout, func() (bool, error) {
		s, err := h.state(ctx, uuid)
		return s == want, err
	})
}

// enable enables the mapping unless it is enabled or on its way there.
func (h *mappingHost) enable(ctx context.Context, uuid string) error {
	s, err := h.state(ctx, uuid)
	switch {
	case err != nil:
		return err
	case s == "":
		return fmt.Errorf("the scenario's event source mapping %s is gone", uuid)
	case s == "Enabled" || s == "Enabling" || s == "Creating":
		return nil
	}
	return h.setEnabled(ctx, uuid, true)
}

// disable disables the mapping and waits until it is Disabled (its
// poller stopped) or ctx is done.
func (h *mappingHost) disable(ctx context.Context, uuid string) error {
	if err := h.setEnabled(ctx, uuid, false); err != nil {
		return err
	}
	for {
		s, err := h.state(ctx, uuid)
		if err != nil || s == "Disabled" || s == "" {
			return err
		}
		if err := sleep(ctx, statePoll); err != nil {
			return fmt.Errorf("the mapping is still %s: %w", s, err)
		}
	}
}

// setEnabled updates the mapping's Enabled, retrying while a transition
// under way refuses the update (ResourceInUseException).
func (h *mappingHost) setEnabled(ctx context.Context, uuid string, on bool) error {
	for {
		_, err := h.lambda.UpdateEventSourceMapping(ctx, &lambda.UpdateEventSourceMappingInput{UUID: aws.String(uuid), Enabled: aws.Bool(on)})
		var inUse *ltypes.ResourceInUseException
		if !errors.As(err, &inUse) {
			return err
		}
		if err := sleep(ctx, statePoll); err != nil {
			return err
		}
	}
}

// remove deletes the mapping, retrying while a transition refuses it; a
// mapping already gone is no error.
func (h *mappingHost) remove(ctx context.Context, uuid string) error {
	for {
		_, err := h.lambda.DeleteEventSourceMapping(ctx, &lambda.DeleteEventSourceMappingInput{UUID: aws.String(uuid)})
		var inUse *ltypes.ResourceInUseException
		var nf *ltypes.ResourceNotFoundException
		switch {
		case errors.As(err, &nf):
			return nil
		case !errors.As(err, &inUse):
			return err
		}
		if err := sleep(ctx, statePoll); err != nil {
			return err
		}
	}
}
