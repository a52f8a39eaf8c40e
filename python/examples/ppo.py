"""PPO on misgen.make_vec in the style of CleanRL's ppo_procgen.py: one file, PyTorch, top to bottom."""
import argparse, numpy as np, torch, torch.nn as nn
import misgen

p = argparse.ArgumentParser()
for name, default in [("--spec", "maze:yellow-line@textured"), ("--num-envs", 64), ("--num-steps", 256),
                      ("--updates", 10), ("--threads", 1), ("--seed", 0)]:
    p.add_argument(name, type=type(default), default=default)
args = p.parse_args()
torch.manual_seed(args.seed); torch.set_num_threads(args.threads); misgen.set_threads(args.threads)
envs = misgen.make_vec(args.spec, num_envs=args.num_envs, num_levels=200, seed=args.seed, copy=False)
n, T, (h, w, c) = args.num_envs, args.num_steps, envs.single_observation_space.shape
body = nn.Sequential(nn.Conv2d(c, 16, 8, 4), nn.ReLU(), nn.Conv2d(16, 32, 4, 2), nn.ReLU(), nn.Flatten())
feat = body(torch.zeros(1, c, h, w)).shape[1]
pi, v = nn.Linear(feat, envs.single_action_space.n), nn.Linear(feat, 1)
opt = torch.optim.Adam([*body.parameters(), *pi.parameters(), *v.parameters()], lr=5e-4, eps=1e-5)
def policy(obs):  # uint8 NHWC numpy -> (logits, value)
    z = body(torch.tensor(obs).permute(0, 3, 1, 2).float() / 255.0)
    return pi(z), v(z).squeeze(-1)
obs_b, act_b = np.zeros((T, n, h, w, c), np.uint8), torch.zeros(T, n, dtype=torch.long)
logp_b, rew_b, done_b, val_b = (torch.zeros(T, n) for _ in range(4))
obs, _ = envs.reset(); returns = []
for update in range(1, args.updates + 1):
    for t in range(T):  # rollout; copy=False: obs is the env's buffer, stored here before the next step
        obs_b[t] = obs
        with torch.no_grad(): logits, val_b[t] = policy(obs)
        dist = torch.distributions.Categorical(logits=logits); act_b[t] = dist.sample(); logp_b[t] = dist.log_prob(act_b[t])
        obs, reward, term, trunc, infos = envs.step(act_b[t].numpy())
        rew_b[t], done_b[t] = torch.from_numpy(reward.copy()), torch.from_numpy(term | trunc).float()
        if infos: returns += list(infos["episode"]["r"][infos["_episode"]])
    with torch.no_grad():  # GAE(0.999, 0.95); done_b[t] ends the episode of step t (same-step auto-reset)
        adv, last, next_v = torch.zeros(T, n), torch.zeros(n), policy(obs)[1]
        for t in reversed(range(T)):
            nv = next_v if t == T - 1 else val_b[t + 1]
            last = adv[t] = rew_b[t] + 0.999 * nv * (1 - done_b[t]) - val_b[t] + 0.999 * 0.95 * (1 - done_b[t]) * last
        ret = (adv + val_b).flatten()
    b_obs, b_act, b_logp, b_adv = obs_b.reshape(T * n, h, w, c), act_b.flatten(), logp_b.flatten(), adv.flatten()
    for epoch in range(3):
        for i in np.array_split(np.random.permutation(T * n), 8):
            logits, value = policy(b_obs[i]); dist = torch.distributions.Categorical(logits=logits)
            ratio, a = (dist.log_prob(b_act[i]) - b_logp[i]).exp(), (b_adv[i] - b_adv[i].mean()) / (b_adv[i].std() + 1e-8)
            loss = torch.max(-a * ratio, -a * ratio.clamp(0.8, 1.2)).mean() + 0.5 * ((value - ret[i]) ** 2).mean() - 0.01 * dist.entropy().mean()
            opt.zero_grad(); loss.backward(); nn.utils.clip_grad_norm_([*body.parameters(), *pi.parameters(), *v.parameters()], 0.5); opt.step()
    mean = f"{np.mean(returns[-100:]):.2f}" if returns else "none yet"
    print(f"update {update}: loss {loss.item():.4f}, episodes {len(returns)}, mean return (last 100) {mean}")
