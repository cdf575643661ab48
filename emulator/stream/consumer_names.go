package stream

import "errors"

// ErrNameTaken: a consumer name is already given to another consumer.
var ErrNameTaken = errors.New("stream: the name is given to another consumer")

// SetConsumerName gives the consumer with the ID a name for the reports
// ("" removes it). A name names one consumer at a time.
func (r *Registry) SetConsumerName(id, name string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if name == "" {
		delete(r.names, id)
		return nil
	}
	for other, n := range r.names {
		if n == name && other != id {
			return ErrNameTaken
		}
	}
	if r.names == nil {
		r.names = map[string]string{}
	}
	r.names[id] = name
	return nil
}

// ConsumerName returns the name given to the consumer with the ID ("" if
// none).
func (r *Registry) ConsumerName(id string) string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.names[id]
}

// ResolveConsumer returns the ID of the consumer a reference names: the
// consumer the name was given to, else the reference itself (an ID).
func (r *Registry) ResolveConsumer(ref string) string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	if _, ok := r.names[ref]; ok {
		return ref
	}
	for id, n := range r.names {
		if n == ref {
			return id
		}
	}
	return ref
}

// ForgetConsumer stops tracking the consumer with the ID on every stream
// and drops its name.
func (r *Registry) ForgetConsumer(id string) {
	for _, s := range r.List("") {
		s.Forget(id)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.names, id)
}

// ResetConsumers forgets every consumer of every stream and every name.
func (r *Registry) ResetConsumers() {
	for _, s := range r.List("") {
		s.mu.Lock()
		s.cons = nil
		s.mu.Unlock()
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.names = nil
}
