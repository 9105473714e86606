import { redirect, type HttpRequest, type HttpResponse } from '@atrium/core';
import { getObjectOr404, ListView, type QuerySetLike } from '@atrium/forms';
import { render } from '@atrium/templates';
import { CommentForm } from './forms.js';
import { Comment, Post, Tag } from './models.js';

/** Published posts only: drafts are for the admin. With their authors (one join) and tags (one more query). */
function publishedPosts() {
  return Post.objects.filter({ status: 'published' }).selectRelated('author').prefetchRelated('tags');
}

/**
 * GET /blog/ and /blog/tags/<slug>/: published posts, newest first, five a page
 * (?page=2...). A tag's page lists only its posts; an unknown tag is a 404.
 */
export class PostListView extends ListView {
  override model = Post;
  override paginateBy = 5;
  override templateName = 'blog/post_list.html';

  override getQueryset(request: HttpRequest): QuerySetLike<unknown> {
    const tag = request.params['tag'];
    return typeof tag === 'string' ? publishedPosts().filter({ tags: { slug: tag } }) : publishedPosts();
  }

  override async getContextData(request: HttpRequest, params: Record<string, unknown>): Promise<Record<string, unknown>> {
    const tag = typeof params['tag'] === 'string' ? await getObjectOr404(Tag, { slug: params['tag'] }) : null;
    return { ...(await super.getContextData(request, params)), tag, tags: await Tag.objects.all() };
  }
}

/**
 * GET /blog/<slug>/: a published post, its comments and the comment form.
 * POST: validate the form (CSRF is checked by the middleware before this
 * runs); when valid, save the comment and redirect back (POST/redirect/GET),
 * else show the page again with the errors, status 400.
 */
export async function postDetail(request: HttpRequest, { slug }: { slug: string }): Promise<HttpResponse> {
  const post = await getObjectOr404(publishedPosts(), { slug });
  const form = await CommentForm.bind(request);
  if (request.method === 'POST') {
    if (await form.isValid()) {
      const comment = await form.save({ commit: false });
      comment.postId = post.id;
      await comment.save();
      request.state.messages?.success('Thank you, your comment is published.');
      return redirect(`${request.reverse('blog:post-detail', { slug })}#comments`);
    }
    return render(request, 'blog/post_detail.html', { post, comments: await Comment.objects.filter({ post: post.id }), form }, { status: 400 });
  }
  return render(request, 'blog/post_detail.html', { post, comments: await Comment.objects.filter({ post: post.id }), form });
}
