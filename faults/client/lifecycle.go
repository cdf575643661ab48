package client

import (
	"context"
	"net/http"
	"time"
)

// Lifecycle is how long, in the emulator's clock time, tables stay
// CREATING, UPDATING and DELETING and GSIs CREATING and DELETING (zero:
// settled at once).
type Lifecycle struct {
	Create, Update, Delete, Index time.Duration
}

type lifecycleWire struct {
	Create string `json:"create"`
	Update string `json:"update"`
	Delete string `json:"delete"`
	Index  string `json:"index"`
}

// Lifecycle reads the lifecycle durations (GET /_admin/lifecycle).
func (c *Client) Lifecycle(ctx context.Context) (Lifecycle, error) {
	var out lifecycleWire
	if err := c.do(ctx, http.MethodGet, "/lifecycle", nil, nil, &out); err != nil {
		return Lifecycle{}, err
	}
	return out.parse()
}

// SetLifecycle sets every lifecycle duration (PUT /_admin/lifecycle) and
// returns them as the server reports them.
func (c *Client) SetLifecycle(ctx context.Context, l Lifecycle) (Lifecycle, error) {
	in := lifecycleWire{Create: l.Create.String(), Update: l.Update.String(), Delete: l.Delete.String(), Index: l.Index.String()}
	var out lifecycleWire
	if err := c.do(ctx, http.MethodPut, "/lifecycle", nil, in, &out); err != nil {
		return Lifecycle{}, err
	}
	return out.parse()
}

func (w lifecycleWire) parse() (Lifecycle, error) {
	var l Lifecycle
	var err error
	for _, x := range []struct {
		v   string
		dst *time.Duration
	}{{w.Create, &l.Create}, {w.Update, &l.Update}, {w.Delete, &l.Delete}, {w.Index, &l.Index}} {
		if *x.dst, err = time.ParseDuration(x.v); err != nil {
			return Lifecycle{}, err
		}
	}
	return l, nil
}
