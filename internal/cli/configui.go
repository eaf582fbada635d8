package cli

import (
	"context"
	"errors"

	"github.com/steppe-news/steppe/internal/config"
	"github.com/steppe-news/steppe/ui"
)

// Config is the config file (package config) with what the dashboard
// makes of its [keys] and [theme]: the key map and the theme.
type Config struct {
	config.Config
	keyMap *ui.KeyMap // [keys] applied to the defaults
	theme  *ui.Theme  // the theme: colours and background
}

// DefaultConfig is what steppe uses when there is no config file.
func DefaultConfig() Config { return Config{Config: config.DefaultConfig()} }

// LoadConfig reads and checks the config file at path (config.Load), then
// its keys and theme. It returns as soon as ctx is done, however slow the
// file is to read.
func LoadConfig(ctx context.Context, path string, mustExist bool) (Config, error) {
	return cancellable(ctx, func() (Config, error) {
		c, err := config.Load(path, mustExist)
		if err != nil {
			return Config{}, err
		}
		return withUI(c)
	}, nil)
}

// ParseConfig is LoadConfig on text: path is only used in messages.
func ParseConfig(path string, data []byte) (Config, error) {
	c, err := config.Parse(path, data)
	if err != nil {
		return Config{}, err
	}
	return withUI(c)
}

// withUI makes the key map and the theme of c; a bad key or colour is an
// error at its line of the file.
func withUI(c config.Config) (Config, error) {
	km, err := ui.NewKeyMap(c.Keys)
	var ke *ui.KeyError
	if errors.As(err, &ke) {
		return Config{}, c.KeyError([]string{"keys", ke.Action}, "%s", ke.Msg)
	} else if err != nil {
		return Config{}, c.KeyError([]string{"keys"}, "%v", err)
	}
	theme, err := ui.NewTheme(c.Theme.Base, c.Theme.Colours)
	var te *ui.ThemeError
	switch {
	case errors.As(err, &te):
		return Config{}, c.KeyError([]string{"theme", te.Key}, "%s", te.Msg)
	case err != nil && c.Theme.BaseKey != "":
		return Config{}, c.KeyError([]string{"theme", c.Theme.BaseKey}, "%v", err)
	case err != nil:
		return Config{}, c.KeyError([]string{"theme"}, "%v", err)
	}
	return Config{Config: c, keyMap: km, theme: &theme}, nil
}

// uiWarnings are the config's warnings for the dashboard.
func (c *Config) uiWarnings() []ui.Warning {
	out := make([]ui.Warning, len(c.Warnings))
	for i, w := range c.Warnings {
		out[i] = ui.Warning{Text: w, Short: w}
		if i < len(c.ShortWarnings) {
			out[i].Short = c.ShortWarnings[i]
		}
	}
	return out
}
