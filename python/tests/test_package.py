"""
The Python package against its contract. Run by tests/Misgen.Tests/Native/PythonPackageTests.cs with Debian's
python3, which first makes MISGEN_TEST_FOLDER/agent (a random 64x64 network) and MISGEN_TEST_FOLDER/results.db
(agent "a" on maze:green-line+yellow-gem@textured: 3 obj1, 1 obj2, 1 timeout; steps 10, 20, 30, 40, 500).
"""

import gc
import math
import os
import sys
import unittest

import numpy as np

import misgen

FOLDER = os.environ.get("MISGEN_TEST_FOLDER", "")
DUEL = "maze:yellow-gem+red-line@textured"


class Envs(unittest.TestCase):
    def test_spaces_are_shaped_like_gymnasiums(self):
        with misgen.make_vec(DUEL, num_envs=3) as env:
            self.assertEqual(env.observation_space.shape, (3, 64, 64, 3))
            self.assertEqual(env.observation_space.dtype, np.uint8)
            self.assertEqual(env.single_observation_space.shape, (64, 64, 3))
            self.assertEqual(env.single_action_space.n, 15)
            self.assertEqual(env.action_space.shape, (3,))
            obs, infos = env.reset()
            self.assertEqual(infos, {})
            self.assertTrue(env.observation_space.contains(obs))
            self.assertTrue(env.action_space.contains(env.action_space.sample()))
            self.assertEqual(env.outcomes, {1: "obj1", 2: "obj2", 3: "timeout"})

    def test_procgen_level_options_choose_the_levels(self):
        # One level, 10-step timeout (a spec option as a keyword): every ended episode was level 5.
        with misgen.make_vec("maze:yellow-line", num_envs=4, start_level=5, num_levels=1, timeout=10) as env:
            self.assertEqual(env.spec, "maze:yellow-line@black;timeout=10")
            env.reset()
            seen = []
            for _ in range(25):
                _, _, terminated, truncated, infos = env.step(np.full(4, 4))  # 4: no-op, so every episode times out
                if infos:
                    seen += list(infos["level_seed"][infos["_level_seed"]])
                    self.assertTrue(np.array_equal(infos["_episode"], terminated | truncated))
            self.assertEqual(len(seen), 8)
            self.assertEqual(set(seen), {5})
        with misgen.make_vec("maze:yellow-line;timeout=3", num_envs=2, start_level=7, num_levels=100,
                             use_sequential_levels=True) as env:
            env.reset()
            seeds = []
            for _ in range(9):
                _, _, _, _, infos = env.step([4, 4])
                if infos:
                    seeds += list(infos["level_seed"])
            self.assertEqual(seeds, [7, 8, 9, 10, 11, 12])
            self.assertEqual(infos["outcome_name"][0], "timeout")
            self.assertEqual(list(infos["episode"]["l"]), [3, 3])

    def test_a_games_facts_come_with_its_episodes(self):
        with misgen.make_vec("room;timeout=5", num_envs=4, num_levels=20) as env:
            self.assertEqual(env.facts, ["start_distance"])
            env.reset()
            seen = 0
            for _ in range(12):
                _, _, _, _, infos = env.step([4, 4, 4, 4])
                if infos:
                    ended = infos["_start_distance"]
                    distances = infos["start_distance"][ended]
                    self.assertTrue((distances >= 1).all() and (distances == np.round(distances)).all(), distances)
                    seen += int(ended.sum())
            self.assertEqual(seen, 8)

    def test_a_seed_fixes_the_level_order_and_reset_seed_restarts_it(self):
        def frames(env, seed=None):
            obs, _ = env.reset(seed=seed)
            out = [obs]
            for t in range(30):
                out.append(env.step(np.arange(4) * t % 15)[0])
            return np.stack(out)

        with misgen.make_vec(DUEL, num_envs=4, num_levels=50, seed=11) as a, \
                misgen.make_vec(DUEL, num_envs=4, num_levels=50, rand_seed=11) as b:
            first = frames(a)
            np.testing.assert_array_equal(first, frames(b))
            self.assertFalse(np.array_equal(first, frames(a, seed=12)))
            np.testing.assert_array_equal(first, frames(a, seed=11))

    def test_state_round_trip_replays_the_same_frames(self):
        with misgen.make_vec(DUEL, num_envs=3, num_levels=20, seed=2) as env:
            env.reset()
            for t in range(5):
                env.step([t % 15, 3, 6])
            state = env.get_state()
            after = [env.step([(t * 7) % 15] * 3)[0] for t in range(30)]
            env.set_state(state)
            again = [env.step([(t * 7) % 15] * 3)[0] for t in range(30)]
            np.testing.assert_array_equal(np.stack(after), np.stack(again))
            with self.assertRaises(misgen.MisgenInputError):
                env.set_state(state[:-1])

    def test_copy_false_lends_the_native_buffers_and_they_outlive_close(self):
        env = misgen.make_vec(DUEL, num_envs=2, copy=False)
        obs, _ = env.reset()
        before = obs.copy()
        stepped = env.step([6, 6])[0]
        self.assertIs(stepped.base is not None, True)
        self.assertTrue(np.shares_memory(obs, stepped))
        self.assertFalse(obs.flags.writeable)
        with self.assertRaises(ValueError):
            obs[0, 0, 0, 0] = 1
        self.assertFalse(np.array_equal(before, stepped))  # the same buffer, now the next frame
        env.close()
        del env
        gc.collect()
        self.assertEqual(stepped.shape, (2, 64, 64, 3))
        self.assertGreater(int(stepped.sum()), 0)  # still readable: the memory lives as long as the array
        with misgen.make_vec(DUEL, num_envs=2) as copying:
            first, _ = copying.reset()
            second = copying.step([6, 6])[0]
            self.assertFalse(np.shares_memory(first, second))
            self.assertTrue(first.flags.writeable)

    def test_a_level_list_plays_each_level_once_then_envs_go_idle(self):
        with misgen.make_vec("maze:yellow-line;timeout=2", num_envs=2, levels=[3, 4, 5]) as env:
            env.reset()
            ended = []
            for _ in range(6):
                _, _, _, _, infos = env.step([4, 4])
                if infos:
                    ended += list(infos["level_seed"][infos["_level_seed"]])
            self.assertEqual(sorted(ended), [3, 4, 5])
            _, active = env.observe()
            self.assertEqual(list(active), [False, False])

    def test_every_catalogue_game_resets_and_steps(self):
        games = misgen.games()
        self.assertIn("maze", [g["name"] for g in games])
        for game in games:
            with misgen.make_vec(game["examples"][0], num_envs=2, num_levels=10) as env:
                self.assertEqual(env.game, game["name"])
                obs, _ = env.reset()
                self.assertEqual(obs.shape[1:3], (game["default_observation_size"],) * 2)
                for _ in range(20):
                    obs, rewards, terminated, truncated, _ = env.step(env.action_space.sample())
                self.assertEqual(rewards.dtype, np.float32)
                self.assertEqual(terminated.dtype, np.bool_)

    def test_bad_input_raises_misgens_message_and_never_crashes(self):
        with self.assertRaises(misgen.MisgenInputError) as caught:
            misgen.make_vec("maze:no-such-object")
        self.assertIn("unknown object 'no-such-object'; valid:", str(caught.exception))
        self.assertIsInstance(caught.exception, ValueError)
        with self.assertRaises(misgen.MisgenInputError) as caught:
            misgen.make_vec("nosuchgame")
        self.assertIn("maze", str(caught.exception))
        with self.assertRaises(misgen.MisgenInputError) as caught:
            misgen.make_vec("maze:yellow-line", distribution_mode="hard")
        self.assertIn("distribution_mode", str(caught.exception))
        with self.assertRaises(misgen.MisgenInputError):
            misgen.make_vec("maze:yellow-line", num_envs=0)
        with misgen.make_vec("maze:yellow-line", num_envs=2) as env:
            with self.assertRaises(misgen.MisgenError) as caught:
                env.step([1, 2])
            self.assertIn("reset", str(caught.exception))
            env.reset()
            for bad in ([1, 2, 3], [[1, 2]], 3):
                with self.assertRaises(misgen.MisgenInputError):
                    env.step(bad)
            with self.assertRaises(misgen.MisgenInputError):
                env.step([0.5, 1.0])
            with self.assertRaises(misgen.MisgenInputError) as caught:
                env.step([1, 15])
            self.assertIn("0..14", str(caught.exception))
            env.step([1, 14])  # a refused step changed nothing: the env still steps
        with self.assertRaises(misgen.MisgenError):
            env.step([1, 1])
        with self.assertRaises(misgen.MisgenInputError) as caught:
            misgen.Agent(os.path.join(FOLDER or "/nonexistent", "missing-agent"))
        self.assertIn("model.safetensors", str(caught.exception))
        with self.assertRaises(misgen.MisgenInputError) as caught:
            misgen.results(os.path.join(FOLDER or "/nonexistent", "missing.db"))
        self.assertIn("no results database", str(caught.exception))
        with self.assertRaises(misgen.MisgenInputError):
            misgen.set_threads(0)
        with self.assertRaises(misgen.MisgenInputError):
            misgen.canonical_spec("maze")


@unittest.skipUnless(FOLDER, "needs MISGEN_TEST_FOLDER (PythonPackageTests makes it)")
class Agents(unittest.TestCase):
    def setUp(self):
        self.agent = misgen.Agent(os.path.join(FOLDER, "agent"))
        self.env = misgen.make_vec(DUEL, num_envs=4, num_levels=10)
        self.obs, _ = self.env.reset()

    def tearDown(self):
        self.agent.close()
        self.env.close()

    def test_act_gives_probabilities_and_values(self):
        probs, values = self.agent.act(self.obs)
        self.assertEqual(probs.shape, (4, 15))
        self.assertEqual(values.shape, (4,))
        np.testing.assert_allclose(probs.sum(axis=1), 1, rtol=1e-5)
        logits, values2 = self.agent.forward(self.obs)
        np.testing.assert_array_equal(values, values2)
        # softmax by hand, in float64
        expected = np.exp(logits.astype(np.float64))
        expected /= expected.sum(axis=1, keepdims=True)
        np.testing.assert_allclose(probs, expected, rtol=1e-5)
        one_probs, _ = self.agent.act(self.obs[1])
        np.testing.assert_array_equal(one_probs[0], probs[1])
        self.assertEqual(self.agent.name, "agent")

    def test_run_with_cache_shapes_and_the_policy_head(self):
        logits, values, cache = self.agent.run_with_cache(self.obs, ["embedder.block1.conv", "embedder.relufc", "fc_policy", "fc_value"])
        self.assertEqual(cache["embedder.block1.conv"].shape, (4, 16, 64, 64))
        self.assertEqual(cache["embedder.relufc"].shape, (4, 256))
        self.assertTrue((cache["embedder.relufc"] >= 0).all())
        np.testing.assert_array_equal(cache["fc_policy"], logits)
        np.testing.assert_array_equal(cache["fc_value"][:, 0], values)
        fast_logits, _ = self.agent.forward(self.obs)
        np.testing.assert_allclose(logits, fast_logits, rtol=1e-4, atol=1e-5)
        _, _, everything = self.agent.run_with_cache(self.obs[:1])
        self.assertEqual(list(everything), self.agent.hook_points)

    def test_bad_observations_raise(self):
        for bad in (self.obs[:, :32], self.obs.astype(np.float32), np.zeros((0, 64, 64, 3), np.uint8)):
            with self.assertRaises(misgen.MisgenInputError):
                self.agent.act(bad)
        with self.assertRaises(misgen.MisgenInputError) as caught:
            self.agent.run_with_cache(self.obs, ["no.such.layer"])
        self.assertIn("embedder.block1.conv", str(caught.exception))
        with self.assertRaises(misgen.MisgenInputError) as caught:
            self.agent.patched(DUEL, "zero:no.such.layer:1")
        self.assertIn("embedder.block1.conv", str(caught.exception))
        with self.assertRaises(misgen.MisgenInputError):
            self.agent.patched(DUEL, "frobnicate:embedder.relufc:1")
        with self.assertRaises(misgen.MisgenInputError):
            self.agent.vector_field(DUEL, level=-1)

    def test_patches_stack_and_the_field_covers_the_open_cells(self):
        once = self.agent.patched(DUEL, "zero:embedder.block3.res2.resadd:0-3")
        twice = once.patched(DUEL, ["scale:embedder.relufc:all:0.5"])
        self.assertEqual(len(twice.patches), 2)
        self.assertEqual(self.agent.patches, [])
        field = twice.vector_field(DUEL, level=7)
        n = len(field["cells"])
        self.assertGreater(n, 5)
        self.assertEqual(field["probabilities"].shape, (n, len(field["groups"])))
        self.assertTrue(((field["arrows"] >= -1) & (field["arrows"] <= 1)).all())
        self.assertTrue((field["probabilities"].sum(axis=1) <= 1.0001).all())
        once.close()
        probs, _ = twice.act(self.obs)  # the patched agent outlives the one it was made from
        self.assertEqual(probs.shape, (4, 15))
        twice.close()


@unittest.skipUnless(FOLDER, "needs MISGEN_TEST_FOLDER (PythonPackageTests makes it)")
class Results(unittest.TestCase):
    def check(self, table):
        # 3 obj1, 1 obj2, 1 timeout of 5: preference 3/4, success 3/5, timeouts 1/5, mean steps 600/5.
        self.assertEqual(list(table["agent"]), ["a"])
        self.assertEqual(list(table["setting"]), ["maze:green-line+yellow-gem@textured"])
        self.assertEqual(int(table["episodes"][0]), 5)
        self.assertEqual(int(table["obj1"][0]), 3)
        self.assertAlmostEqual(float(table["preference"][0]), 0.75)
        self.assertAlmostEqual(float(table["success_rate"][0]), 0.6)
        self.assertAlmostEqual(float(table["timeout_rate"][0]), 0.2)
        self.assertAlmostEqual(float(table["capability"][0]), 120.0)
        # Wilson 95% interval for 3 of 4, by its formula
        z, n, p = 1.959963984540054, 4, 0.75
        centre = (p + z * z / (2 * n)) / (1 + z * z / n)
        half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
        self.assertAlmostEqual(float(table["preference_low"][0]), centre - half, places=6)
        self.assertAlmostEqual(float(table["preference_high"][0]), centre + half, places=6)

    def test_metrics_as_a_dataframe_with_pandas(self):
        import pandas
        table = misgen.results(os.path.join(FOLDER, "results.db"))
        self.assertIsInstance(table, pandas.DataFrame)
        self.check(table)
        episodes = misgen.results(os.path.join(FOLDER, "results.db"), table="episodes")
        self.assertEqual(list(episodes["steps"]), [10, 20, 30, 40, 500])
        self.assertEqual(list(episodes["outcome"]), ["obj1", "obj1", "obj1", "obj2", "timeout"])

    def test_metrics_as_plain_lists_without_pandas(self):
        saved = sys.modules.get("pandas")
        sys.modules["pandas"] = None  # import pandas now fails, as where it is not installed
        try:
            table = misgen.results(os.path.join(FOLDER, "results.db"))
        finally:
            if saved is None:
                del sys.modules["pandas"]
            else:
                sys.modules["pandas"] = saved
        self.assertIsInstance(table, dict)
        self.assertTrue(all(isinstance(column, list) for column in table.values()))
        self.assertTrue(all(type(v) is int for v in table["obj1"]))
        self.assertTrue(all(type(v) is float for v in table["preference"]))
        self.assertTrue(all(type(v) is str for v in table["agent"]))
        self.check(table)
        with self.assertRaises(misgen.MisgenInputError) as caught:
            misgen.results(os.path.join(FOLDER, "results.db"), table="nope")
        self.assertIn("metrics, episodes", str(caught.exception))


if __name__ == "__main__":
    unittest.main()
